package lab.epoll.catalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerOption.Name;

/**
 * One way of running the echo server, and the one list of them: the behaviour suite, the benchmark harness and
 * the report all read {@link #all()}, so adding a variant is one entry here plus its module. Everything a test or
 * a chart needs to know about a variant is a field, never guessed from its name, jar or flags.
 *
 * @param name         short name used in test and benchmark output, e.g. {@code et}
 * @param summary      what the variant is, in one line (Markdown), for the README's list of variants
 * @param jar          the runnable jar, relative to the lab's root
 * @param jvmArgs      extra JVM flags for this variant
 * @param serverArgs   extra server flags for this variant
 * @param ioModel      how the server waits for I/O (Netty's epoll, the JDK's selectors, io_uring, blocking threads),
 *                     and whether it needs Netty's native library
 * @param registration the epoll flags accepted sockets must be registered with
 * @param accepting    how many connections its listener takes per readiness event by default
 * @param nettyVersion the Netty line inside the jar, e.g. {@code 4.1}
 * @param features     which of the lab's server features the variant has
 */
public record ServerVariant(
        String name,
        String summary,
        String jar,
        List<String> jvmArgs,
        List<String> serverArgs,
        IoModel ioModel,
        Registration registration,
        Accepting accepting,
        String nettyVersion,
        Set<Feature> features) {

    private static final String NETTY_4_1 = "4.1";
    private static final String NETTY_4_2 = "4.2";

    public static final ServerVariant LT = new ServerVariant(
            "lt",
            "Netty 4.1's native epoll, level-triggered (`EpollMode.LEVEL_TRIGGERED`)",
            "lt-server/target/lt-server.jar",
            List.of(),
            List.of(),
            IoModel.NETTY_EPOLL,
            Registration.LEVEL_TRIGGERED,
            Accepting.BATCH,
            NETTY_4_1,
            Feature.ALL);
    public static final ServerVariant ET = new ServerVariant(
            "et",
            "Netty 4.1's native epoll, edge-triggered (Netty 4.1's default mode)",
            "et-server/target/et-server.jar",
            List.of(),
            List.of(),
            IoModel.NETTY_EPOLL,
            Registration.EDGE_TRIGGERED,
            Accepting.BATCH,
            NETTY_4_1,
            Feature.ALL);
    /**
     * ONESHOT emulated on Netty: AUTO_READ off, reads handed to a worker pool. Sockets keep Netty's default
     * registration, EPOLLET (fdinfo shows EPOLLET|EPOLLRDHUP, plus EPOLLIN while a read is pending), never
     * EPOLLONESHOT.
     */
    public static final ServerVariant ONESHOT_NETTY = new ServerVariant(
            "oneshot-netty",
            "Netty's idiom for one thread per connection at a time: `AUTO_READ` off, reads on a worker pool",
            "oneshot-server/target/oneshot-server.jar",
            List.of(),
            List.of(Name.ENGINE, "netty"),
            IoModel.NETTY_EPOLL,
            Registration.EDGE_TRIGGERED,
            Accepting.BATCH,
            NETTY_4_1,
            Feature.ALL);
    /** The kernel's EPOLLONESHOT: worker threads sharing one epoll set, sockets EPOLLIN|EPOLLRDHUP|EPOLLONESHOT. */
    public static final ServerVariant ONESHOT_KERNEL = new ServerVariant(
            "oneshot-kernel",
            "The kernel's `EPOLLONESHOT`: worker threads sharing one epoll set, each socket re-armed after use",
            "oneshot-server/target/oneshot-server.jar",
            List.of(),
            List.of(Name.ENGINE, "kernel"),
            IoModel.LAB_EPOLL,
            Registration.ONESHOT,
            Accepting.UNTIL_EMPTY,
            NETTY_4_1,
            Feature.ALL_BUT_EVENT_LOOPS);
    /**
     * The exercise's level-triggered server on raw epoll: one thread, one epoll set, one accept or read per
     * readiness event, EPOLLOUT only while echo waits.
     */
    public static final ServerVariant RAW_LT = new ServerVariant(
            "raw-lt",
            "The exercise's level-triggered server on raw epoll: one thread, one accept or read per event",
            "raw-server/target/raw-server.jar",
            List.of(),
            List.of(Name.MODE, "lt"),
            IoModel.LAB_EPOLL,
            Registration.LEVEL_TRIGGERED,
            Accepting.ONE_PER_EVENT,
            NETTY_4_1,
            Feature.NO_EVENT_LOOP_KNOBS);
    /** The exercise's edge-triggered server on raw epoll: EPOLLET, accept and read until EAGAIN. */
    public static final ServerVariant RAW_ET = new ServerVariant(
            "raw-et",
            "The exercise's edge-triggered server on raw epoll: `EPOLLET`, accept and read until `EAGAIN`",
            "raw-server/target/raw-server.jar",
            List.of(),
            List.of(Name.MODE, "et"),
            IoModel.LAB_EPOLL,
            Registration.EDGE_TRIGGERED,
            Accepting.UNTIL_EMPTY,
            NETTY_4_1,
            Feature.NO_EVENT_LOOP_KNOBS);
    /**
     * raw-et on two loops, the listener in both epoll sets: every loop wakes for each new connection (the
     * thundering herd). The four {@code raw-*} accept strategies differ only in how the loops share new connections.
     */
    public static final ServerVariant RAW_HERD = rawThreads(
            "herd", "raw-et on two loops, the listener in both epoll sets: every loop wakes for each connection");
    /** raw-et on two loops, the listener in both sets with {@code EPOLLEXCLUSIVE}: one loop wakes per connection. */
    public static final ServerVariant RAW_EXCLUSIVE = rawThreads(
            "exclusive", "raw-et on two loops, the listener in both sets with `EPOLLEXCLUSIVE`: one loop wakes");
    /** raw-et on two loops, a listener each on one port ({@code SO_REUSEPORT}): the kernel picks one by hash. */
    public static final ServerVariant RAW_REUSEPORT = rawThreads(
            "reuseport", "raw-et on two loops, a listener each (`SO_REUSEPORT`): the kernel picks one by hash");
    /** raw-et on two loops and a third thread that accepts and hands each connection to the next loop. */
    public static final ServerVariant RAW_ACCEPTOR = rawThreads(
            "acceptor", "raw-et on two loops and an acceptor thread that hands each connection to the next loop");
    /** Baseline: Netty's NIO transport on the JDK's epoll selector (level-triggered, no EPOLLRDHUP). */
    public static final ServerVariant NIO_EPOLL = new ServerVariant(
            "nio-epoll",
            "Netty's NIO transport on the JDK's epoll selector (a baseline)",
            "nio-server/target/nio-server.jar",
            List.of("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider"),
            List.of(),
            IoModel.JDK_EPOLL,
            Registration.LEVEL_TRIGGERED,
            Accepting.BATCH,
            NETTY_4_1,
            Feature.ALL);
    /** Baseline: Netty's NIO transport on the JDK's poll(2) selector: no epoll instance at all. */
    public static final ServerVariant NIO_POLL = new ServerVariant(
            "nio-poll",
            "Netty's NIO transport on the JDK's poll(2) selector: no epoll at all (a baseline)",
            "nio-server/target/nio-server.jar",
            List.of("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider"),
            List.of(),
            IoModel.JDK_POLL,
            Registration.NONE,
            Accepting.BATCH,
            NETTY_4_1,
            Feature.ALL);

    /** Netty 4.1 with the incubator's io_uring transport: no epoll instance; the process holds an io_uring fd. */
    public static final ServerVariant URING = new ServerVariant(
            "uring",
            "Netty 4.1 with the incubator's io_uring transport",
            "uring-server/target/uring-server.jar",
            List.of(),
            List.of(),
            IoModel.NETTY_IO_URING,
            Registration.NONE,
            Accepting.ONE_PER_COMPLETION,
            NETTY_4_1,
            Feature.ALL);
    /** Netty 4.2's epoll transport ({@code EpollIoHandler}): level-triggered only, {@code EpollMode} is gone. */
    public static final ServerVariant EPOLL_4_2 = new ServerVariant(
            "epoll-4.2",
            "Netty 4.2's epoll `IoHandler`, level-triggered only",
            "netty42-server/target/netty42-server.jar",
            List.of(),
            List.of(Name.TRANSPORT, "epoll"),
            IoModel.NETTY_EPOLL,
            Registration.LEVEL_TRIGGERED,
            Accepting.BATCH,
            NETTY_4_2,
            Feature.ALL);
    /** Netty 4.2's io_uring transport ({@code IoUringIoHandler}), graduated from the incubator. */
    public static final ServerVariant URING_4_2 = new ServerVariant(
            "uring-4.2",
            "Netty 4.2's io_uring `IoHandler`",
            "netty42-server/target/netty42-server.jar",
            List.of(),
            List.of(Name.TRANSPORT, "io_uring"),
            IoModel.NETTY_IO_URING,
            Registration.NONE,
            Accepting.ONE_PER_COMPLETION,
            NETTY_4_2,
            Feature.ALL);

    /**
     * The baseline: Netty's echo example on epoll (ET, Netty 4.1's default), half-close handled, none of the
     * lab's features. What they cost is the difference from it.
     */
    public static final ServerVariant BARE = new ServerVariant(
            "bare",
            "Netty's echo example on epoll with none of the lab's features: the baseline for their cost",
            "bare-server/target/bare-server.jar",
            List.of(),
            List.of(),
            IoModel.NETTY_EPOLL,
            Registration.EDGE_TRIGGERED,
            Accepting.NETTY_STOCK,
            NETTY_4_1,
            Set.of());

    /**
     * The model Netty replaced: a platform thread per connection blocking in {@code read} and {@code write}, one
     * more blocking in {@code accept}; no epoll instance at all. Netty is in the jar for the shared CLI only.
     */
    public static final ServerVariant THREADS = new ServerVariant(
            "threads",
            "A platform thread per connection on blocking `java.net` sockets",
            "blocking-server/target/blocking-server.jar",
            List.of(),
            List.of(Name.THREAD_KIND, "platform"),
            IoModel.JDK_THREADS,
            Registration.NONE,
            Accepting.ACCEPTOR_THREAD,
            NETTY_4_1,
            Feature.NO_EVENT_LOOP_KNOBS);
    /**
     * The same code on virtual threads (Java 21+): a read that would block parks the thread, and the JDK's poller
     * waits for the socket in its own epoll instance, registered {@code EPOLLIN|EPOLLONESHOT}.
     */
    public static final ServerVariant VIRTUAL = new ServerVariant(
            "virtual",
            "A virtual thread per connection on blocking `java.net` sockets (Java 21+)",
            "blocking-server/target/blocking-server.jar",
            List.of(),
            List.of(Name.THREAD_KIND, "virtual"),
            IoModel.JDK_VIRTUAL_THREADS,
            Registration.ONESHOT,
            Accepting.ACCEPTOR_THREAD,
            NETTY_4_1,
            Feature.NO_EVENT_LOOP_KNOBS);

    private static final List<ServerVariant> ALL = List.of(
            LT,
            ET,
            ONESHOT_NETTY,
            ONESHOT_KERNEL,
            RAW_LT,
            RAW_ET,
            RAW_HERD,
            RAW_EXCLUSIVE,
            RAW_REUSEPORT,
            RAW_ACCEPTOR,
            NIO_EPOLL,
            NIO_POLL,
            URING,
            EPOLL_4_2,
            URING_4_2,
            BARE,
            THREADS,
            VIRTUAL);

    /** The threads the {@code raw-*} accept-strategy variants run: the fewest that share a listener. */
    public static final int RAW_STRATEGY_THREADS = 2;

    private static ServerVariant rawThreads(String strategy, String summary) {
        return new ServerVariant(
                "raw-" + strategy,
                summary,
                "raw-server/target/raw-server.jar",
                List.of(),
                List.of(Name.MODE, "et", Name.THREADS, Integer.toString(RAW_STRATEGY_THREADS), Name.ACCEPT, strategy),
                IoModel.LAB_EPOLL,
                Registration.EDGE_TRIGGERED,
                Accepting.UNTIL_EMPTY,
                NETTY_4_1,
                Feature.NO_EVENT_LOOP_KNOBS);
    }

    public ServerVariant {
        jvmArgs = List.copyOf(jvmArgs);
        serverArgs = List.copyOf(serverArgs);
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    /** Every variant the lab has, in the order tables and charts list them. */
    public static List<ServerVariant> all() {
        return ALL;
    }

    /** The names of {@link #all()}, in order. */
    public static List<String> names() {
        return ALL.stream().map(ServerVariant::name).toList();
    }

    /** Looks a variant up by its short name, e.g. {@code et}. */
    public static ServerVariant named(String name) {
        return ALL.stream()
                .filter(v -> v.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant '" + name + "'; known: " + names()));
    }

    /** Whether the server waits in an epoll instance (every variant but the poll(2) and io_uring ones). */
    public boolean usesEpoll() {
        return ioModel.usesEpoll();
    }

    /** Whether the jar needs Netty's native library, and so refuses to start without it. */
    public boolean nativeTransport() {
        return ioModel.nativeLibrary();
    }

    /** Whether accepted sockets must carry {@code EPOLLET}. */
    public boolean epollet() {
        return registration == Registration.EDGE_TRIGGERED;
    }

    /** Whether accepted sockets must carry {@code EPOLLONESHOT}. */
    public boolean oneshot() {
        return registration == Registration.ONESHOT;
    }

    /**
     * An upstream limit the behaviour suite found in Netty's io_uring transports. The 4.1 incubator (0.0.26) lets
     * a failed buffer allocation while it schedules a read escape its completion loop ({@code Unexpected
     * exception in the io_uring event loop}): that connection is never read again, closed or counted, and only
     * the idle timeout ends it. 4.2 closes such connections, but not always: in one run of four here one stayed
     * open after its peer left, and the server echoed no new connection after it.
     */
    public boolean hangsOnFailedReadAllocation() {
        return ioModel == IoModel.NETTY_IO_URING;
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }

    /**
     * The option that sets how many threads serve connections: {@code --io-threads} (Netty's event loops),
     * {@code --threads} (raw-server's loops), {@code --workers} (the kernel ONESHOT engine); empty where every
     * connection has a thread of its own.
     */
    public java.util.Optional<ServerOption> servingThreadsOption() {
        if (has(Feature.EVENT_LOOPS)) {
            return java.util.Optional.of(ServerOption.IO_THREADS);
        }
        if (jar.equals(RAW_ET.jar)) {
            return java.util.Optional.of(ServerOption.THREADS);
        }
        if (jar.equals(ONESHOT_KERNEL.jar)) {
            return java.util.Optional.of(ServerOption.WORKERS);
        }
        return java.util.Optional.empty();
    }

    /** The same jar and capabilities with other fixed server flags, e.g. none, to see the jar's own defaults. */
    public ServerVariant withServerArgs(List<String> args) {
        return new ServerVariant(
                name, summary, jar, jvmArgs, args, ioModel, registration, accepting, nettyVersion, features);
    }

    /** The command name the jar prints in its messages, e.g. {@code lt-server}. */
    public String commandName() {
        return Path.of(jar).getFileName().toString().replaceFirst("\\.jar$", "");
    }

    public Path jarPath() {
        Path path = LabPaths.root().resolve(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(
                    path + " does not exist: build it first (mvn -B package, or mvn -B verify)");
        }
        return path;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * How a variant waits for I/O: readiness from Netty's or the lab's epoll, the JDK's selectors, completions from
     * io_uring, or blocked threads. (Not {@code common}'s {@code Transport}, which sets up a Netty channel type.)
     */
    public enum IoModel {
        /** Netty's native epoll transport ({@code EpollEventLoop}). */
        NETTY_EPOLL("epoll", true, true, false, Map.of()),
        /** The lab's own epoll loops (the kernel ONESHOT engine, raw-server), on Netty's JNI bindings. */
        LAB_EPOLL("epoll", true, true, false, Map.of()),
        /** Netty's NIO transport on the JDK's epoll selector. */
        JDK_EPOLL("epoll", true, false, false, Nio.REFUSALS),
        /** Netty's NIO transport on the JDK's poll(2) selector. */
        JDK_POLL("poll", false, false, false, Nio.REFUSALS),
        /**
         * Netty's io_uring transport: completions from a ring instead of readiness from epoll. Its server channel
         * cannot be opened IPv4-only, in the incubator or in 4.2.
         */
        NETTY_IO_URING(
                "io_uring", false, true, true, Map.of(Group.EPOLL, "epoll only, and the server runs on io_uring")),
        /**
         * Blocking {@code java.net} sockets on platform threads: each thread waits in its own {@code read},
         * {@code write} or {@code accept}. {@code java.net.ServerSocket} opens an IPv6 socket wherever IPv6 exists.
         */
        JDK_THREADS("blocking calls", false, false, true, ThreadPerConnection.REFUSALS),
        /** The same on virtual threads: a blocked call parks the thread on the JDK's epoll poller. */
        JDK_VIRTUAL_THREADS("epoll", true, false, true, ThreadPerConnection.REFUSALS, 21);

        private final String kernelApi;
        private final boolean usesEpoll;
        private final boolean nativeLibrary;
        private final boolean dualStackOnly;
        private final Map<Group, String> refusals;
        private final int minimumJava;

        IoModel(
                String kernelApi,
                boolean usesEpoll,
                boolean nativeLibrary,
                boolean dualStackOnly,
                Map<Group, String> refusals) {
            this(kernelApi, usesEpoll, nativeLibrary, dualStackOnly, refusals, JavaRuntime.BUILD_FEATURE);
        }

        IoModel(
                String kernelApi,
                boolean usesEpoll,
                boolean nativeLibrary,
                boolean dualStackOnly,
                Map<Group, String> refusals,
                int minimumJava) {
            this.kernelApi = kernelApi;
            this.usesEpoll = usesEpoll;
            this.nativeLibrary = nativeLibrary;
            this.dualStackOnly = dualStackOnly;
            this.refusals = refusals;
            this.minimumJava = minimumJava;
        }

        /**
         * Whether each connection has a thread of its own blocking in {@code read} and {@code write}: it then holds
         * at most one read of unsent echo, and its write blocking is its water mark.
         */
        public boolean threadPerConnection() {
            return this == JDK_THREADS || this == JDK_VIRTUAL_THREADS;
        }

        /** The oldest Java feature release the transport runs on: 17 for all but virtual threads' 21. */
        public int minimumJava() {
            return minimumJava;
        }

        /**
         * Whether its listeners are always dual-stack, so {@code --host 0.0.0.0} listens on IPv6 too (the server
         * warns); every other transport opens an IPv4 socket for an IPv4 address.
         */
        public boolean dualStackOnly() {
            return dualStackOnly;
        }

        /** The kernel interface the server waits in, as its messages name it: epoll, poll or io_uring. */
        public String kernelApi() {
            return kernelApi;
        }

        public boolean usesEpoll() {
            return usesEpoll;
        }

        public boolean nativeLibrary() {
            return nativeLibrary;
        }

        /**
         * The groups of server options this transport has no knob for, each with why: one given on the command
         * line, even at its default value, exits 2 with the reason instead of running a server that ignores it.
         */
        public Map<Group, String> refusals() {
            return refusals;
        }

        /** The options of {@link #refusals()}' groups, in {@code --help} order. */
        public List<ServerOption> refusedOptions() {
            return ServerOption.of(refusals.keySet());
        }

        public boolean refuses(ServerOption option) {
            return refusals.containsKey(option.group());
        }
    }

    // Holders of their own: enum constants are built before the enum's own static fields exist.

    /** What Netty's NIO transport has no knob for, and why. */
    private static final class Nio {
        static final Map<Group, String> REFUSALS = Map.of(
                Group.NATIVE_SOCKET, "Netty's native transports only, and the server runs on NIO",
                Group.EPOLL, "Netty's epoll transport only, and the server runs on NIO");
    }

    /** What a thread per connection has no knob for, and why: no event loop, no epoll of its own, no Netty buffers. */
    private static final class ThreadPerConnection {
        static final Map<Group, String> REFUSALS = Map.of(
                Group.EVENT_LOOPS, "a thread per connection has no event loops",
                Group.READ_LOOP, "each thread reads once, then writes the echo back",
                Group.NATIVE_SOCKET, "Netty's native transports only, and the server uses java.net sockets",
                Group.EPOLL, "Netty's epoll transport only, and the server uses java.net sockets",
                Group.ACCEPT_BATCH, "one thread accepts in a loop, a connection per accept call",
                Group.NETTY_BUFFERS,
                        "each connection reads into a byte array of its own, min(8k, " + Name.WRITE_BUFFER_HIGH
                                + "), not into Netty's buffers");
    }

    /** The epoll flags on an accepted socket's registration, as {@code /proc/PID/fdinfo} must show them. */
    public enum Registration {
        LEVEL_TRIGGERED,
        EDGE_TRIGGERED,
        /** Level-triggered with {@code EPOLLONESHOT}: disarmed by the kernel on every event. */
        ONESHOT,
        /** No epoll registration at all. */
        NONE
    }

    /** How many connections a variant's listener takes per readiness event when {@code --accept-batch} is not given. */
    public enum Accepting {
        /** The lab's batch ({@code AcceptBatch.DEFAULT}) on Netty's server channel. */
        BATCH,
        /**
         * Netty's stock server channel, one per read: one per {@code epoll_wait} in level-triggered mode, and in
         * edge-triggered mode one per run of the accept task Netty reschedules until the queue is empty.
         */
        NETTY_STOCK,
        /** The exercise's level-triggered recipe: one per event, the next wait reports the rest. */
        ONE_PER_EVENT,
        /** Until {@code accept} finds the queue empty. */
        UNTIL_EMPTY,
        /**
         * One accept request in flight at a time, the next submitted when it completes: one connection per trip
         * round the io_uring, whatever {@code --accept-batch} would allow. Netty 4.1's incubator, and 4.2's
         * io_uring with multishot accept off, as the lab runs it ({@code AbstractIoUringServerChannel}'s
         * {@code readComplete0} schedules the next accept); 4.2's ring turns often enough in the harness that
         * it keeps up, the incubator's does not at 10,000 busy connections.
         */
        ONE_PER_COMPLETION,
        /** A thread of its own blocks in {@code accept} and hands each connection to a new thread. */
        ACCEPTOR_THREAD
    }

    /**
     * Whether the variant's default takes one connection per wake-up, which a saturated server turns into new
     * clients waiting in the accept queue: the exercise's level-triggered recipe keeps it on purpose.
     */
    public boolean defaultAcceptsOnePerWakeup() {
        return accepting == Accepting.ONE_PER_EVENT;
    }

    /** The lab's server features beyond echoing; the behaviour suite skips a behaviour a variant lacks. */
    public enum Feature {
        /** {@code stopped:} counters, {@code --stats-interval} and {@code --metrics-port}. */
        COUNTERS,
        /** {@code --idle-timeout}. */
        IDLE_TIMEOUT,
        /** {@code --max-connections}. */
        CONNECTION_LIMIT,
        /**
         * {@code --write-buffer-low/high}: a connection pauses reading while its echo is unsent; and
         * {@code --max-pending-bytes}: every connection pauses while the server's unsent echo is over its budget.
         */
        BACKPRESSURE,
        /** The shared server options beyond {@code --host} and {@code --port}: socket knobs, read sizing, logging. */
        SERVER_OPTIONS,
        /** {@code --shutdown-grace}: after a signal, open connections finish before the server closes them. */
        GRACEFUL_DRAIN,
        /**
         * {@code --max-messages-per-read}: how many reads one readiness event may do. The raw servers lack it on
         * purpose: their mode is that number (one in lt, until EAGAIN in et).
         */
        READ_LOOP_CAP,
        /**
         * {@code --io-threads}: connections spread over N event loops. The raw servers run one thread, as the
         * exercise's do; the kernel ONESHOT engine has worker threads ({@code --workers}), no event loops.
         */
        EVENT_LOOPS;

        static final Set<Feature> ALL = EnumSet.allOf(Feature.class);
        static final Set<Feature> ALL_BUT_EVENT_LOOPS = EnumSet.complementOf(EnumSet.of(EVENT_LOOPS));
        /** The raw recipes (one thread, reads per event fixed by the mode) and the thread-per-connection server. */
        static final Set<Feature> NO_EVENT_LOOP_KNOBS = EnumSet.complementOf(EnumSet.of(READ_LOOP_CAP, EVENT_LOOPS));
    }
}
