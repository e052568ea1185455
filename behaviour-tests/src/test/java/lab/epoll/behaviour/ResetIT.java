package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Resets: clients that reset (RST, {@code SO_LINGER 0}) or vanish mid-message leave nothing behind
 * in the server: no fd (the fd count returns to its baseline), no buffer (pending-out returns to 0; with the
 * unpooled allocator, direct memory returns to exactly what it was; the paranoid leak detector reports nothing),
 * no error storm (at most one log line per reset connection, no stack trace), and counters that add up
 * ({@code accepted == closed}, {@code active == 0}).
 *
 * <p>Four ways to go: reset right after connecting; send half a message and reset; send 64 KiB and close without
 * reading the echo (the echo then meets a closed socket); and, the hardest, reset while the server holds
 * paused, unsent echo for the connection (each of those clients uploads 8 MiB and reads nothing first).
 *
 * <p>Why it matters for epoll: a reset arrives as {@code EPOLLERR|EPOLLHUP} (often with {@code EPOLLIN} and
 * {@code EPOLLRDHUP}); each of those paths must close the channel exactly once, remove the fd from the epoll set
 * and release the buffers queued for it. A path that forgets one of them leaks an fd or direct memory per reset;
 * one that keeps the fd registered after an error spins or logs on every {@code epoll_wait}.
 */
class ResetIT {
    static final int PER_KIND = Integer.getInteger("lab.resets.perKind", 50);
    /** Clients that reset while the server holds their echo: each keeps several MiB in kernel buffers. */
    static final int PAUSED = Integer.getInteger("lab.resets.paused", 20);

    static final long HIGH_WATER = 64 * 1024;
    /** Connections in the reset storm, -Dlab.resets.storm to change it. */
    static final int STORM = Integer.getInteger("lab.resets.storm", 1000);
    /** Connections reset while they wait to be accepted, -Dlab.resets.beforeAccept to change it. */
    static final int RESET_BEFORE_ACCEPT = Integer.getInteger("lab.resets.beforeAccept", 50);
    /** The servers' budget of per-connection failure lines a second (common's PeerFailureLog). */
    static final int LINES_PER_SECOND = 20;
    /** The peer in a connection's log line: {@code fd=16 (127.0.0.1:38402) failed: ...}. */
    private static final Pattern PEER = Pattern.compile("\\((\\S+:\\d+)\\)");

    /** The allocator case of a variant with no {@code --allocator}: it reads into byte arrays of its own. */
    private static final String BYTE_ARRAYS = "byte-array";

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    static Stream<Arguments> variantsAndAllocators() {
        List<Arguments> cases = new ArrayList<>();
        for (ServerVariant variant : SuiteVariants.selected()) {
            if (variant.ioModel().refuses(ServerOption.ALLOCATOR)) {
                cases.add(Arguments.of(variant, BYTE_ARRAYS)); // a thread per connection reads into byte arrays
            } else {
                cases.add(Arguments.of(variant, "pooled"));
                cases.add(Arguments.of(variant, "unpooled"));
            }
        }
        return cases.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server, {1} allocator")
    @MethodSource("variantsAndAllocators")
    void resetsLeaveNoFdNoBufferNoErrorStorm(ServerVariant variant, String allocator) {
        Assumptions.assumeTrue(
                variant.has(Feature.COUNTERS),
                () -> variant + " logs no counters: pending-out, direct memory and accepted == closed are the proof");
        Assumptions.assumeTrue(
                variant.has(Feature.BACKPRESSURE),
                () -> variant + " has no backpressure to hold the echo of the clients that reset while paused");
        ServerProcess server = allocator.equals(BYTE_ARRAYS)
                ? servers.start(variant)
                : servers.start(variant, "--allocator", allocator);
        ServerCounters before = server.awaitStats("a first stats line", c -> true);
        int logLinesBefore = server.logLines().size();
        byte[] message = new Payload(5).bytes(0, 10);
        int connections = 0;

        for (int i = 0; i < PER_KIND; i++) {
            server.connect().reset();
        }
        connections += PER_KIND;

        for (int i = 0; i < PER_KIND; i++) {
            EchoClient client = server.connect();
            client.send(Arrays.copyOf(message, message.length / 2));
            client.reset();
        }
        connections += PER_KIND;

        byte[] chunk = new Payload(6).bytes(0, 64 * 1024);
        for (int i = 0; i < PER_KIND; i++) {
            EchoClient client = server.connect();
            client.send(chunk);
            client.close();
        }
        connections += PER_KIND;

        // Uploads that read nothing: wait until the server has paused every one of them with echo queued.
        CountDownLatch never = new CountDownLatch(1);
        List<EchoStream> paused = new ArrayList<>();
        try {
            for (int i = 0; i < PAUSED; i++) {
                paused.add(EchoStream.connect(server.address(), 100 + i)
                        .length(8L << 20)
                        .readAfter(never)
                        .start());
            }
            int total = connections + PAUSED;
            // An event loop queues echo past the high water mark before it pauses; a thread per connection
            // pauses blocked in write, holding one read (at least a byte).
            long queuedAbove = variant.ioModel().threadPerConnection() ? PAUSED - 1 : PAUSED * HIGH_WATER;
            server.awaitStats(
                    "all " + PAUSED + " uploads paused with their echo queued",
                    c -> c.accepted() == total && c.active() == PAUSED && c.pendingOut() > queuedAbove);
            for (EchoStream stream : paused) {
                try {
                    stream.socket().setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                stream.close();
            }
        } finally {
            paused.forEach(EchoStream::close);
        }
        connections += PAUSED;

        int expected = connections;
        ServerCounters after = server.awaitStats(
                "every reset connection closed and its buffers released",
                c -> c.active() == 0
                        && c.closed() == expected
                        && c.pendingOut() == 0
                        && (!allocator.equals("unpooled") || c.directMemory() == before.directMemory()));
        assertThat(after.accepted()).as("accepted").isEqualTo(expected);
        server.awaitFdsAtBaseline();

        List<String> log = server.logLines();
        List<String> resetLog = log.subList(logLinesBefore, log.size());
        System.out.printf(
                "%s resets (%s): %d connections, %d log lines, errors=%d, direct-memory %d -> %d%n",
                variant,
                allocator,
                expected,
                resetLog.size(),
                after.errors(),
                before.directMemory(),
                after.directMemory());
        assertThat(resetLog)
                .as("log lines for %d reset connections (at most one each, no stack traces)", expected)
                .hasSizeLessThanOrEqualTo(expected)
                .noneMatch(line ->
                        line.startsWith("\tat ") || line.trim().startsWith("at ") || line.contains("Exception in"));
        // ...and no connection got two: lines name the peer, e.g. "fd=16 (127.0.0.1:38402) failed: ...".
        List<String> peers =
                resetLog.stream().map(ResetIT::peer).filter(p -> !p.isEmpty()).toList();
        assertThat(peers).as("connections named in the log").doesNotHaveDuplicates();
        assertThat(after.errors()).as("errors counted").isLessThanOrEqualTo(expected);

        server.stopChecked();
        ServerCounters summary = server.summary();
        assertThat(summary.accepted())
                .as("summary accepted")
                .isEqualTo(expected + ServerProcess.LEAK_PROBE_CONNECTIONS)
                .isEqualTo(summary.closed());
        assertThat(summary.active()).as("summary active").isZero();
    }

    /**
     * A reset storm is counted in full but logged within a budget: at most 20 per-connection lines a second,
     * the rest in summary lines. Before, 10,000 resets wrote one line each, 8,700-10,000 lines in 2-3 s.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aResetStormIsSummarisedInsteadOfLoggedLineByLine(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.COUNTERS), () -> variant + " counts no errors to compare with");
        ServerProcess server = servers.start(variant);
        int logLinesBefore = server.logLines().size();
        byte[] half = Arrays.copyOf(new Payload(7).bytes(0, 10), 5);
        long started = System.nanoTime();
        for (int i = 0; i < STORM; i++) {
            EchoClient client = server.connect();
            client.send(half);
            client.reset();
        }
        server.awaitStats("all " + STORM + " reset connections closed", c -> c.closed() >= STORM && c.active() == 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        server.stopChecked();

        List<String> log = server.logLines();
        List<String> storm = log.subList(logLinesBefore, log.size());
        long perConnection =
                storm.stream().filter(line -> line.endsWith("; closing it")).count();
        long summarised = storm.stream()
                .filter(line -> line.contains("more connections failed"))
                .count();
        long errors = server.summary().errors();
        System.out.printf(
                "%s reset storm: %d connections in %.1f s, errors=%d, %d per-connection lines, %d summary lines%n",
                variant, STORM, seconds, errors, perConnection, summarised);
        assertThat(perConnection)
                .as("per-connection lines for %d resets over %.1f s", STORM, seconds)
                .isLessThanOrEqualTo((long) Math.ceil(seconds + 1) * LINES_PER_SECOND);
        Assumptions.assumeTrue(
                errors > perConnection,
                () -> variant + " counted " + errors + " failures in the"
                        + " storm (Netty's epoll and NIO transports read a reset after data as an orderly close):"
                        + " nothing beyond the budget to summarise");
        assertThat(summarised)
                .as("summary lines for the %d failures not logged one by one", errors - perConnection)
                .isPositive();
    }

    /**
     * Connections their peers reset before the server accepted them (the server is stopped with SIGSTOP
     * meanwhile, so they wait in the accept queue, already reset): each is accepted and closed with at most one
     * line, which names its real peer, never "(null)" (the socket itself no longer knows its peer), and the server
     * goes on accepting and stops with exit 0.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void connectionsResetBeforeTheyAreAcceptedLeaveTheServerAccepting(ServerVariant variant) {
        ServerProcess server = servers.start(variant);
        int logLinesBefore = server.logLines().size();
        server.signal("STOP");
        try {
            for (int i = 0; i < RESET_BEFORE_ACCEPT; i++) {
                server.connect().reset(); // the kernel completes the handshake while the server is stopped
            }
        } finally {
            server.signal("CONT");
        }
        byte[] ping = new Payload(8).bytes(0, 32);
        try (EchoClient client = server.connect()) {
            assertThat(client.roundTrip(ping)).as("an echo after the resets").isEqualTo(ping);
        }
        if (variant.has(Feature.COUNTERS)) {
            server.awaitStats(
                    "the reset connections and the echo client closed",
                    c -> c.closed() >= RESET_BEFORE_ACCEPT + 1 && c.active() == 0);
        }
        server.stopChecked();

        List<String> log = server.logLines();
        List<String> resetLog = log.subList(logLinesBefore, log.size());
        System.out.printf(
                "%s resets before accept: %d connections, %d log lines%n",
                variant, RESET_BEFORE_ACCEPT, resetLog.size());
        assertThat(resetLog)
                .as("log lines for connections reset before accept")
                .hasSizeLessThanOrEqualTo(RESET_BEFORE_ACCEPT + 2)
                .noneMatch(line -> line.contains("(null)"))
                .noneMatch(line -> line.trim().startsWith("at ") || line.contains("Exception in"));
    }

    private static String peer(String logLine) {
        Matcher m = PEER.matcher(logLine);
        return m.find() ? m.group(1) : "";
    }
}
