package lab.epoll.common.cli;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.NettyRuntime;
import java.time.Duration;
import java.util.regex.Pattern;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.server.AcceptBatch;
import lab.epoll.common.server.OpenFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Every option the echo servers share, with its default and the socket or epoll knob it turns. Servers mix it
 * into their own command ({@code @Mixin}), so {@code --help} of each jar lists the same options. Their names, and
 * the group of knobs each belongs to (what decides which transports refuse it), are the catalog's
 * {@code ServerOption}.
 */
public final class ServerOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = Name.HOST,
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). 0.0.0.0 listens on every IPv4 "
                    + "interface (IPv4 only), :: on every interface, IPv4 and IPv6.")
    private String host;

    @Option(
            names = {Name.PORT_SHORT, Name.PORT},
            paramLabel = "PORT",
            defaultValue = "8080",
            description =
                    "TCP port; 0 picks any free port, printed on the 'listening on' line (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = Name.IO_THREADS,
            paramLabel = "N",
            defaultValue = "${sys:lab.defaultIoThreads}",
            description = "Event-loop threads, 1 to 256; each waits in its own epoll instance (or selector, or "
                    + "io_uring), and every connection stays on one of them (default: the number of cores, "
                    + "${DEFAULT-VALUE} here).")
    private int ioThreads;

    @Option(
            names = Name.IDLE_TIMEOUT,
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Close a connection that neither read nor wrote for this long (a sweep per event loop, "
                    + "every quarter of it); 0 disables (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(
            names = Name.MIN_PROGRESS,
            paramLabel = "SIZE",
            defaultValue = "0",
            converter = ByteSizeConverter.class,
            description =
                    "With " + Name.IDLE_TIMEOUT + ": a connection counts as active only once it has moved this many "
                            + "bytes since it last did, so a peer that trickles a byte every few seconds is closed as "
                            + "idle too; so is any peer slower than SIZE per timeout; 0 = every byte counts "
                            + "(default: ${DEFAULT-VALUE}).")
    private int minProgress;

    @Option(
            names = Name.SHUTDOWN_GRACE,
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "After SIGTERM, SIGINT or SIGHUP, how long open connections may keep talking before "
                    + "they are closed (default: ${DEFAULT-VALUE}).")
    private Duration shutdownGrace;

    @Option(
            names = Name.METRICS_PORT,
            paramLabel = "PORT",
            description = "Serve the server's metrics in the Prometheus text format at http://HOST:PORT/metrics "
                    + "(process CPU seconds, memory and its peak, threads, open fds, connections, bytes, echo held unsent "
                    + "against " + Name.MAX_PENDING_BYTES + "); 0 = a free port, "
                    + "printed on the listening line (default: off).")
    private Integer metricsPort;

    @Option(
            names = Name.BACKLOG,
            paramLabel = "N",
            defaultValue = "4096",
            description = "listen(2) backlog, SO_BACKLOG; the kernel caps it at net.core.somaxconn "
                    + "(default: ${DEFAULT-VALUE}).")
    private int backlog;

    @Option(
            names = Name.MAX_CONNECTIONS,
            paramLabel = "N",
            defaultValue = "${sys:lab.defaultMaxConnections}",
            description = "Close connections beyond this many at once, counted as refused; 0 = no limit but "
                    + "the open-file limit (default: the open-file limit less a tenth and 64 for the server's own "
                    + "fds, ${DEFAULT-VALUE} here).")
    private int maxConnections;

    @Option(
            names = Name.WRITE_BUFFER_LOW,
            paramLabel = "SIZE",
            defaultValue = "32k",
            converter = ByteSizeConverter.class,
            description = "WRITE_BUFFER_WATER_MARK low: reading from a paused connection resumes once its "
                    + "unsent echo drops below this (default: ${DEFAULT-VALUE}).")
    private int writeBufferLow;

    @Option(
            names = Name.WRITE_BUFFER_HIGH,
            paramLabel = "SIZE",
            defaultValue = "64k",
            converter = ByteSizeConverter.class,
            description = "WRITE_BUFFER_WATER_MARK high: stop reading from a connection whose unsent echo "
                    + "exceeds this, so a peer that does not read cannot make the server buffer without bound "
                    + "(default: ${DEFAULT-VALUE}).")
    private int writeBufferHigh;

    @Option(
            names = Name.MAX_PENDING_BYTES,
            paramLabel = "SIZE",
            defaultValue = "64m",
            converter = ByteSizeConverter.class,
            description = "The whole server's unsent echo, each buffer counted with its 96 B of bookkeeping: "
                    + "above this no connection reads until it drops below three quarters of it, so many peers "
                    + "that do not read cannot add up their water marks; 0 = no server-wide bound "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxPendingBytes;

    @Option(
            names = Name.TCP_NODELAY,
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "TCP_NODELAY on accepted sockets: send echoes at once instead of waiting (Nagle) "
                    + "(default: on; " + Name.NO_TCP_NODELAY + " turns it off).")
    private boolean tcpNoDelay;

    @Option(
            names = Name.LISTENERS,
            paramLabel = "N",
            defaultValue = "1",
            description = "Listening sockets bound to the same port with SO_REUSEPORT "
                    + "(EpollChannelOption.SO_REUSEPORT), so the kernel spreads new connections over N accept "
                    + "queues on different event loops; 1 = one plain listener (default: ${DEFAULT-VALUE}).")
    private int listeners;

    @Option(
            names = Name.TCP_QUICKACK,
            defaultValue = "false",
            description = "TCP_QUICKACK (EpollChannelOption.TCP_QUICKACK): acknowledge at once instead of "
                    + "delaying ACKs (default: off).")
    private boolean tcpQuickAck;

    @Option(
            names = Name.TCP_FASTOPEN,
            paramLabel = "N",
            defaultValue = "0",
            description = "TCP_FASTOPEN queue length on the listener (EpollChannelOption.TCP_FASTOPEN): accept "
                    + "data in the SYN; 0 = off (default: ${DEFAULT-VALUE}).")
    private int tcpFastOpen;

    @Option(
            names = Name.TCP_DEFER_ACCEPT,
            paramLabel = "DURATION",
            defaultValue = "0",
            converter = DurationConverter.class,
            description = "TCP_DEFER_ACCEPT (EpollChannelOption.TCP_DEFER_ACCEPT): wake accept only once data "
                    + "arrived, waiting up to this long, in whole seconds; 0 = off (default: ${DEFAULT-VALUE}).")
    private Duration tcpDeferAccept;

    @Option(
            names = Name.BUSY_POLL,
            paramLabel = "DURATION",
            defaultValue = "0",
            converter = DurationConverter.class,
            description = "SO_BUSY_POLL on accepted sockets (EpollChannelOption.SO_BUSY_POLL): spin this long "
                    + "(e.g. 50us) on the device queue before sleeping in a blocking read; 0 = off "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration busyPoll;

    @Option(
            names = Name.MAX_EVENTS,
            paramLabel = "N",
            defaultValue = "0",
            description = "Most events one epoll_wait(2) may return (EpollEventLoopGroup maxEventsAtOnce); "
                    + "at most 65536; 0 = the engine's own: Netty's 4096, growing when full; raw-server's 64; "
                    + "the kernel ONESHOT engine's 4 (default: ${DEFAULT-VALUE}).")
    private int maxEvents;

    @Option(
            names = Name.ACCEPT_BATCH,
            paramLabel = "N",
            description = "Most connections a listener accepts per readiness event before the loop serves its "
                    + "connections again; 0 = until accept(2) finds the queue empty. 1 is Netty's stock "
                    + "ServerChannelRecvByteBufAllocator, which in level-triggered mode takes one connection per "
                    + "epoll_wait: under load, new clients then wait in the kernel's accept queue for seconds "
                    + "(default: " + AcceptBatch.DEFAULT + " on Netty's transports but the 4.1 io_uring incubator, "
                    + "which has only 1; 0 in the kernel ONESHOT engine; raw-server keeps its recipe's: 1 in lt, "
                    + "0 in et, which takes nothing else).")
    private Integer acceptBatch;

    @Option(
            names = Name.RECV_ALLOCATOR,
            paramLabel = "adaptive|fixed:SIZE",
            defaultValue = "adaptive",
            converter = RecvAllocatorSpec.Converter.class,
            description = "Read buffer sizing (RCVBUF_ALLOCATOR): adaptive (Netty's default) or a fixed size per "
                    + "read, e.g. fixed:16k (default: ${DEFAULT-VALUE}).")
    private RecvAllocatorSpec recvAllocator;

    @Option(
            names = Name.MAX_MESSAGES_PER_READ,
            paramLabel = "N",
            defaultValue = "16",
            description = "Most reads in one go per readiness event before the loop serves other connections "
                    + "(MaxMessagesRecvByteBufAllocator) (default: ${DEFAULT-VALUE}).")
    private int maxMessagesPerRead;

    @Option(
            names = Name.ALLOCATOR,
            paramLabel = "pooled|unpooled",
            defaultValue = "pooled",
            description = "Buffer allocator (ALLOCATOR): pooled (PooledByteBufAllocator) or unpooled "
                    + "(default: ${DEFAULT-VALUE}).")
    private AllocatorChoice allocator;

    @Option(
            names = Name.STATS_INTERVAL,
            paramLabel = "DURATION",
            defaultValue = "0",
            converter = DurationConverter.class,
            description = "Log a line of counters and buffer memory this often; 0 = only the summary at "
                    + "shutdown (default: ${DEFAULT-VALUE}).")
    private Duration statsInterval;

    @Option(
            names = {Name.VERBOSE_SHORT, Name.VERBOSE},
            description = "Log every connection: accept (with its fd), bytes read and written, close.")
    private boolean verbose;

    static {
        // picocli's ${sys:...} lets --help show this machine's real default instead of a word.
        System.setProperty("lab.defaultIoThreads", Integer.toString(NettyRuntime.availableProcessors()));
        System.setProperty("lab.defaultMaxConnections", Integer.toString(OpenFiles.defaultMaxConnections()));
    }

    static final int MAX_IO_THREADS = 256;
    static final int MAX_EVENTS = 1 << 16;
    /** The shortest --stats-interval: 100 lines a second is already more than anyone reads. */
    static final Duration MIN_STATS_INTERVAL = Duration.ofMillis(10);
    /** A host name (letters, digits, dots, hyphens), an IPv4 address, or an IPv6 address with or without brackets. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*]?");

    /** Which {@code ByteBufAllocator} the server uses. */
    public enum AllocatorChoice {
        pooled,
        unpooled;

        /** Netty's shared instance of this allocator. */
        public ByteBufAllocator instance() {
            return this == pooled ? PooledByteBufAllocator.DEFAULT : UnpooledByteBufAllocator.DEFAULT;
        }
    }

    /**
     * Checks what one option alone cannot: ranges and combinations. Failures name the option and become
     * exit code 2, like any other bad input.
     */
    public void validate() {
        requireRange(Name.PORT, port, 0, 65535);
        if (metricsPort != null) {
            requireRange(Name.METRICS_PORT, metricsPort, 0, 65535);
        }
        // Each event loop is a thread with its own epoll instance, eventfd, timerfd and buffer pool: 4,096 of them
        // idled at ~480 MB and 12,000 fds; more loops than a few per core only add wake-ups.
        requireRange(Name.IO_THREADS, ioThreads, 1, MAX_IO_THREADS);
        requireRange(Name.BACKLOG, backlog, 1, Integer.MAX_VALUE);
        requireRange(Name.MAX_CONNECTIONS, maxConnections, 0, Integer.MAX_VALUE);
        requireRange(Name.LISTENERS, listeners, 1, 1024);
        requireRange(Name.TCP_FASTOPEN, tcpFastOpen, 0, Integer.MAX_VALUE);
        // Netty allocates the event array up front, per loop: 65,536 events is 768 KiB each, 2^20 was 12 MiB.
        requireRange(Name.MAX_EVENTS, maxEvents, 0, MAX_EVENTS);
        requireRange(Name.MAX_MESSAGES_PER_READ, maxMessagesPerRead, 1, 1 << 16);
        if (acceptBatch != null) {
            requireRange(Name.ACCEPT_BATCH, acceptBatch, 0, 1 << 16);
        }
        requireRange(Name.WRITE_BUFFER_LOW, writeBufferLow, 1, Integer.MAX_VALUE);
        requireRange(Name.WRITE_BUFFER_HIGH, writeBufferHigh, 1, Integer.MAX_VALUE);
        requireRange(Name.MAX_PENDING_BYTES, maxPendingBytes, 0, Integer.MAX_VALUE);
        requireRange(Name.MIN_PROGRESS, minProgress, 0, Integer.MAX_VALUE);
        if (minProgress > 0 && idleTimeout.isZero()) {
            throw invalid(Name.MIN_PROGRESS, "needs an " + Name.IDLE_TIMEOUT + " to measure progress against");
        }
        if (writeBufferLow > writeBufferHigh) {
            throw invalid(
                    Name.WRITE_BUFFER_LOW,
                    ByteSizeConverter.format(writeBufferLow) + " is above " + Name.WRITE_BUFFER_HIGH + " "
                            + ByteSizeConverter.format(writeBufferHigh));
        }
        // The kernel takes these two as ints, in seconds and microseconds: a longer one would wrap around.
        requireRange(Name.TCP_DEFER_ACCEPT, tcpDeferAccept.toSeconds(), 0, Integer.MAX_VALUE);
        requireRange(Name.BUSY_POLL, busyPoll.toNanos() / 1000L, 0, Integer.MAX_VALUE);
        if (!statsInterval.isZero() && statsInterval.compareTo(MIN_STATS_INTERVAL) < 0) {
            throw invalid(
                    Name.STATS_INTERVAL,
                    DurationConverter.format(statsInterval) + " is below "
                            + DurationConverter.format(MIN_STATS_INTERVAL)
                            + ": a stats line more often floods the log");
        }
        requireHostSyntax(commandLine(), host);
        if (!tcpDeferAccept.isZero() && tcpDeferAccept.toNanos() % 1_000_000_000L != 0) {
            throw invalid(
                    Name.TCP_DEFER_ACCEPT,
                    DurationConverter.format(tcpDeferAccept) + " is not a whole number of seconds");
        }
        if (!busyPoll.isZero() && busyPoll.toNanos() % 1000L != 0) {
            throw invalid(
                    Name.BUSY_POLL, DurationConverter.format(busyPoll) + " is not a whole number of microseconds");
        }
    }

    /**
     * Refuses a {@code --host} that is empty or no host name or IP address (a path, say): exit 2, like any bad
     * input.
     */
    public static void requireHostSyntax(CommandLine commandLine, String host) {
        String why = host.isBlank()
                ? "the host is empty"
                : HOST.matcher(host).matches() ? null : "'" + host + "' is not a host name or an IP address";
        if (why != null) {
            throw new ParameterException(commandLine, "Invalid value for option '" + Name.HOST + "': " + why);
        }
    }

    private void requireRange(String option, long value, long min, long max) {
        requireRange(commandLine(), option, value, min, max);
    }

    /** Refuses {@code value} outside {@code min..max}: exit 2 and one line naming the option. */
    public static void requireRange(CommandLine commandLine, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ParameterException(
                    commandLine,
                    "Invalid value for option '" + option + "': '" + value + "' is not in " + min + ".."
                            + (max == Integer.MAX_VALUE ? "" : max));
        }
    }

    private ParameterException invalid(String option, String why) {
        return new ParameterException(commandLine(), "Invalid value for option '" + option + "': " + why);
    }

    private CommandLine commandLine() {
        return spec == null ? new CommandLine(this) : spec.commandLine();
    }

    /** Parses options alone, for tests and embedders that start an {@code EchoServer} in process. */
    public static ServerOptions parse(String... args) {
        ServerOptions options = new ServerOptions();
        new CommandLine(options).parseArgs(args);
        options.validate();
        return options;
    }

    public String host() {
        return host;
    }
    /** The metrics endpoint's port, 0 for a free one; empty when it is off. */
    public java.util.OptionalInt metricsPort() {
        return metricsPort == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(metricsPort);
    }

    public int port() {
        return port;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public int backlog() {
        return backlog;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int writeBufferLow() {
        return writeBufferLow;
    }

    public int writeBufferHigh() {
        return writeBufferHigh;
    }

    public int maxPendingBytes() {
        return maxPendingBytes;
    }

    public int minProgress() {
        return minProgress;
    }

    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    public int listeners() {
        return listeners;
    }

    public boolean tcpQuickAck() {
        return tcpQuickAck;
    }

    public int tcpFastOpen() {
        return tcpFastOpen;
    }

    public Duration tcpDeferAccept() {
        return tcpDeferAccept;
    }

    public Duration busyPoll() {
        return busyPoll;
    }

    public int maxEvents() {
        return maxEvents;
    }

    public RecvAllocatorSpec recvAllocator() {
        return recvAllocator;
    }

    public int maxMessagesPerRead() {
        return maxMessagesPerRead;
    }
    /** {@code --accept-batch} as given, or {@code engineDefault} when it was not. */
    public int acceptBatch(int engineDefault) {
        return acceptBatch == null ? engineDefault : acceptBatch;
    }

    public AllocatorChoice allocator() {
        return allocator;
    }

    public Duration statsInterval() {
        return statsInterval;
    }

    public boolean verbose() {
        return verbose;
    }
}
