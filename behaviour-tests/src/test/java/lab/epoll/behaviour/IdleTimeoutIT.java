package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

/**
 * Idle timeout: with {@code --idle-timeout 1s}, a connection that neither sends nor receives is
 * closed by the server no sooner than 1 s after its last traffic and no later than 1 s + a tolerance
 * ({@code lab.idle.toleranceMillis}, default 2000, for a loaded machine); a connection that keeps talking (a
 * message every 200 ms for 3 s, three times the timeout) is never closed; and the summary's {@code closed-idle}
 * counts exactly the idle ones (for a variant with {@link Feature#COUNTERS}).
 *
 * <p>Why it matters for epoll: the timers live in the event loop, which sleeps in {@code epoll_wait} and is woken
 * for them through a {@code timerfd} in the same epoll set. A loop whose wait does not honour the next deadline
 * closes late (or never), and a timer not reset on read and write closes busy connections. Half the idle clients
 * never send anything, half go quiet after one echo, so both "idle since accept" and "idle since the last
 * traffic" are measured.
 */
class IdleTimeoutIT {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final Duration TOLERANCE = Duration.ofMillis(Long.getLong("lab.idle.toleranceMillis", 2000));
    static final int SILENT = 3;
    static final int QUIET_AFTER_ONE = 3;
    static final int TALKERS = 3;
    static final Duration TALK_EVERY = Duration.ofMillis(200);
    static final Duration TALK_FOR = Duration.ofSeconds(3);

    /**
     * No stats lines: their timer would wake an event loop every 200 ms and could hide a loop that does not wake
     * up for the idle timers on its own.
     */
    @RegisterExtension
    final ServerProcesses servers = ServerProcesses.withoutStatsTimer();

    /** When an idle client's server closed it, measured from the client: not before / not after these bounds. */
    record IdleClose(String who, long earliestNanos, long latestNanos, long eofNanos) {
        long afterEarliestMs() {
            return (eofNanos - earliestNanos) / 1_000_000;
        }

        long afterLatestMs() {
            return (eofNanos - latestNanos) / 1_000_000;
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void idleConnectionsCloseOnTimeBusyOnesNever(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(variant.has(Feature.IDLE_TIMEOUT), () -> variant + " has no --idle-timeout");
        ServerProcess server = servers.start(variant, "--idle-timeout", "1s");
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<Future<String>> talkers = new ArrayList<>();
            for (int i = 0; i < TALKERS; i++) {
                int id = i;
                talkers.add(pool.submit(() -> talk(server.address(), id)));
            }
            List<Future<IdleClose>> idle = new ArrayList<>();
            for (int i = 0; i < SILENT; i++) {
                int id = i;
                idle.add(pool.submit(() -> silent(server.address(), "silent-" + id)));
            }
            for (int i = 0; i < QUIET_AFTER_ONE; i++) {
                int id = i;
                idle.add(pool.submit(() -> quietAfterOneEcho(server.address(), "quiet-" + id)));
            }

            for (Future<IdleClose> future : idle) {
                IdleClose close = get(future);
                System.out.printf(
                        "%s idle: %s closed %d ms after its earliest allowed moment%n",
                        variant, close.who(), close.afterEarliestMs());
                assertThat(close.afterEarliestMs())
                        .as("%s: closed before the timeout ran out", close.who())
                        .isGreaterThanOrEqualTo(0);
                assertThat(close.afterLatestMs())
                        .as("%s: closed later than timeout + %s", close.who(), TOLERANCE)
                        .isLessThanOrEqualTo(TOLERANCE.toMillis());
            }
            for (Future<String> talker : talkers) {
                assertThat(get(talker)).as("a talking connection").isEqualTo("kept open");
            }
        } finally {
            pool.shutdownNow();
        }

        int idleClients = SILENT + QUIET_AFTER_ONE;
        server.awaitFdsAtBaseline();
        server.stopChecked();
        if (variant.has(Feature.COUNTERS)) {
            ServerCounters summary = server.summary();
            assertThat(summary.closedIdle())
                    .as("summary closed-idle: exactly the idle connections")
                    .isEqualTo(idleClients);
            assertThat(summary.closed())
                    .as("summary closed: idle ones, talkers, the leak probe")
                    .isEqualTo(idleClients + TALKERS + ServerProcess.LEAK_PROBE_CONNECTIONS);
            assertThat(summary.errors()).as("summary errors").isZero();
        }
    }

    /**
     * {@code --min-progress 64}: a peer that trickles one byte every 200 ms (5 B/s, each echoed) is closed as idle
     * within the timeout and its tolerance, as a silent one would be; a talker's 32 bytes every 200 ms (160 B/s)
     * keep it open. Without the rule the trickler would count as busy, like the talkers above: every byte resets
     * the clock.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void underMinProgressATricklingPeerIsIdleATalkerIsNot(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(variant.has(Feature.IDLE_TIMEOUT), () -> variant + " has no --idle-timeout");
        ServerProcess server = servers.start(variant, "--idle-timeout", "1s", "--min-progress", "64");
        assertThat(server.stdout().get(0)).contains("min-progress=64");
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            Future<String> talker = pool.submit(() -> talk(server.address(), 0));
            Future<Long> trickler = pool.submit(() -> trickleUntilClosed(server.address()));
            long closedAfterMs = get(trickler);
            System.out.printf("%s min-progress: the trickler was closed after %d ms%n", variant, closedAfterMs);
            assertThat(closedAfterMs)
                    .as("when the trickler was closed (ms after it connected)")
                    .isGreaterThanOrEqualTo(TIMEOUT.toMillis())
                    .isLessThanOrEqualTo(TIMEOUT.plus(TOLERANCE).toMillis());
            assertThat(get(talker)).as("the talker").isEqualTo("kept open");
        } finally {
            pool.shutdownNow();
        }
        server.awaitFdsAtBaseline();
        server.stopChecked();
        if (variant.has(Feature.COUNTERS)) {
            assertThat(server.summary().closedIdle())
                    .as("summary closed-idle: the trickler alone")
                    .isEqualTo(1);
        }
    }

    /** Sends one byte every 200 ms and reads its echo until the server closes; returns how long that took. */
    private static long trickleUntilClosed(InetSocketAddress address) throws IOException, InterruptedException {
        try (Socket socket = open(address)) {
            long connected = System.nanoTime();
            InputStream in = socket.getInputStream();
            for (int i = 0; ; i++) {
                try {
                    socket.getOutputStream().write('a' + i % 26);
                    if (in.read() < 0) {
                        break;
                    }
                } catch (IOException closed) {
                    break; // the server closed it between two bytes: a reset instead of an EOF
                }
                Thread.sleep(TALK_EVERY.toMillis()); // pacing the trickler, not waiting for the server
            }
            return (System.nanoTime() - connected) / 1_000_000;
        }
    }

    /** Sends a message every 200 ms for 3 s, each echoed, then closes; says whether the server ever closed it. */
    private static String talk(InetSocketAddress address, int id) throws InterruptedException {
        byte[] message = new Payload(300 + id).bytes(0, 32);
        try (EchoClient client = EchoClient.connect(address, TIMEOUT.plus(TOLERANCE))) {
            long end = System.nanoTime() + TALK_FOR.toNanos();
            int sent = 0;
            while (System.nanoTime() < end) {
                byte[] back;
                try {
                    back = client.roundTrip(message);
                } catch (RuntimeException e) {
                    return "failed after " + sent + " messages: " + e;
                }
                if (!Arrays.equals(back, message)) {
                    return "wrong echo after " + sent + " messages";
                }
                sent++;
                Thread.sleep(TALK_EVERY.toMillis()); // pacing the talker, not waiting for the server
            }
            return "kept open";
        }
    }

    private static IdleClose silent(InetSocketAddress address, String who) throws IOException {
        long beforeConnect = System.nanoTime();
        try (Socket socket = open(address)) {
            long connected = System.nanoTime();
            return awaitEof(socket, who, beforeConnect, connected);
        }
    }

    private static IdleClose quietAfterOneEcho(InetSocketAddress address, String who) throws IOException {
        byte[] message = new Payload(who.hashCode()).bytes(0, 32);
        try (Socket socket = open(address)) {
            long beforeSend = System.nanoTime();
            socket.getOutputStream().write(message);
            byte[] back = socket.getInputStream().readNBytes(message.length);
            long echoed = System.nanoTime();
            assertThat(back).as("%s: its one echo", who).isEqualTo(message);
            // The server's last traffic lies between our send and the echo's arrival.
            return awaitEof(socket, who, beforeSend, echoed);
        }
    }

    private static Socket open(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(
                Math.toIntExact(TIMEOUT.plus(TOLERANCE).plusSeconds(10).toMillis()));
        return socket;
    }

    /** Blocks until the server closes the connection; the bounds are last-traffic bounds plus the timeout. */
    private static IdleClose awaitEof(Socket socket, String who, long lastTrafficAtLeast, long lastTrafficAtMost)
            throws IOException {
        InputStream in = socket.getInputStream();
        int r = in.read();
        long eof = System.nanoTime();
        assertThat(r)
                .as("%s: the server closed it (EOF) rather than sending something", who)
                .isEqualTo(-1);
        return new IdleClose(who, lastTrafficAtLeast + TIMEOUT.toNanos(), lastTrafficAtMost + TIMEOUT.toNanos(), eof);
    }

    private static <T> T get(Future<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("a client did not finish within " + ServerProcess.WAIT, e);
        }
    }
}
