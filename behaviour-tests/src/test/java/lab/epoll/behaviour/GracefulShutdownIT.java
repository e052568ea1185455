package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * Graceful shutdown under load: SIGTERM while 50 clients stream echoes and one client sits idle
 * ({@code --shutdown-grace 2s --idle-timeout 0}). After the signal:
 * <ul>
 *   <li>no new connection is accepted: once the server logs that its listener is closed, a connect is refused
 *       (or closed at once), and the summary's {@code accepted} is exactly the 51 from before the signal;</li>
 *   <li>every byte the server read is echoed: each streaming client stops sending, shuts down its output and
 *       reads until EOF, and gets back exactly what it sent (length and CRC32); the summary's
 *       {@code bytes-in == bytes-out} and equals what the clients sent;</li>
 *   <li>the idle client is closed at the grace deadline, not before (it is open and may still talk) and not
 *       much after;</li>
 *   <li>the server exits 0 within the grace period plus a tolerance ({@code lab.shutdown.toleranceMillis},
 *       default 3000, for a loaded machine).</li>
 * </ul>
 * Graceful shutdown needs no feature; the summary's counts are checked on variants with {@link Feature#COUNTERS}.
 *
 * <p>Why it matters for epoll: the shutdown removes the listener from the epoll set while connections keep being
 * served from it, then must let half-closed connections flush (their {@code EPOLLOUT} still matters after
 * {@code EPOLLRDHUP}) and finally close what is left. Accepting one more connection after the listener "closed",
 * dropping queued echo at exit, or hanging on a connection that never ends are the failures this catches.
 */
class GracefulShutdownIT {
    static final int STREAMERS = 50;
    static final Duration GRACE = Duration.ofSeconds(2);
    static final Duration TOLERANCE = Duration.ofMillis(Long.getLong("lab.shutdown.toleranceMillis", 3000));
    /** Unechoed bytes a streaming client allows itself, so stopping leaves little in flight. */
    static final int WINDOW = 64 * 1024;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void drainsEveryEchoRefusesNewcomersAndExitsAtTheDeadline(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(variant.has(Feature.GRACEFUL_DRAIN), () -> variant + " closes at once, by design");
        List<String> options = new ArrayList<>(List.of("--shutdown-grace", "2s"));
        if (variant.has(Feature.IDLE_TIMEOUT)) {
            // The idle client must stay open until the grace deadline, not be closed as idle before it.
            options.addAll(List.of("--idle-timeout", "0"));
        }
        ServerProcess server = servers.start(variant, options.toArray(String[]::new));

        byte[] hello = new Payload(1).bytes(0, 100);
        Socket idle = new Socket();
        List<EchoStream> streams = new ArrayList<>();
        try {
            idle.connect(server.address(), 10_000);
            idle.setSoTimeout(Math.toIntExact(ServerProcess.WAIT.toMillis()));
            idle.getOutputStream().write(hello);
            assertThat(idle.getInputStream().readNBytes(hello.length))
                    .as("the idle client's one echo")
                    .isEqualTo(hello);

            for (int i = 0; i < STREAMERS; i++) {
                streams.add(EchoStream.connect(server.address(), 500 + i)
                        .window(WINDOW)
                        .halfCloseWhenDone()
                        .start());
            }
            server.awaitValue(
                    "every client streaming (256 KiB echoed each)",
                    () -> streams.stream().mapToLong(EchoStream::received).min().orElseThrow(),
                    least -> least >= 256 * 1024);

            // Lets the leak detector see garbage from the streaming; the drain's reads then make it report.
            server.collectGarbage();
            CompletableFuture<Long> idleClosedAt = CompletableFuture.supplyAsync(() -> eofTime(idle));
            CompletableFuture<Long> exitedAt =
                    ProcessHandle.of(server.pid()).orElseThrow().onExit().thenApply(process -> System.nanoTime());
            long signalled = System.nanoTime();
            server.signal("TERM");
            streams.forEach(EchoStream::stopSending);

            // No newcomers: once the listener is closed, a connect is refused, or at worst closed at once.
            server.awaitValue(
                    "the server saying its listener is closed",
                    server::logLines,
                    lines -> lines.stream().anyMatch(line -> line.contains("listener closed")));
            assertThat(newcomer(server))
                    .as("a connection attempted after the listener closed")
                    .isIn("refused", "closed at once");

            long sent = hello.length;
            for (EchoStream stream : streams) {
                EchoStream.Result result = stream.await(ServerProcess.WAIT);
                assertThat(result.intact() && result.eof())
                        .as("%s server: a streaming client after SIGTERM: %s", variant, result)
                        .isTrue();
                sent += result.sent();
            }

            long idleClosedMs =
                    (idleClosedAt.get(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS) - signalled) / 1_000_000;
            long exitedMs =
                    (exitedAt.get(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS) - signalled) / 1_000_000;
            System.out.printf(
                    "%s shutdown: idle client closed %d ms after SIGTERM, server exited after %d ms%n",
                    variant, idleClosedMs, exitedMs);
            assertThat(idleClosedMs)
                    .as("idle client closed after SIGTERM (ms): at the %s grace deadline", GRACE)
                    .isGreaterThanOrEqualTo(GRACE.toMillis())
                    .isLessThanOrEqualTo(GRACE.plus(TOLERANCE).toMillis());
            assertThat(exitedMs)
                    .as("server exit after SIGTERM (ms)")
                    .isLessThanOrEqualTo(GRACE.plus(TOLERANCE).toMillis());

            server.awaitGracefulExit(ServerProcess.WAIT);
            if (variant.has(Feature.COUNTERS)) {
                ServerCounters summary = server.summary();
                assertThat(summary.accepted())
                        .as("accepted: the 51 from before the signal, nothing after")
                        .isEqualTo(STREAMERS + 1);
                assertThat(summary.bytesIn())
                        .as("bytes-in: what the clients sent")
                        .isEqualTo(sent);
                assertThat(summary.bytesOut())
                        .as("bytes-out: every byte read was echoed")
                        .isEqualTo(sent);
                assertThat(summary.active()).as("active").isZero();
            }
        } finally {
            streams.forEach(EchoStream::close);
            idle.close();
        }
    }

    /** Blocks until the server closes the connection; returns when, in nanoTime. */
    private static long eofTime(Socket socket) {
        try {
            int r = socket.getInputStream().read();
            long at = System.nanoTime();
            if (r != -1) {
                throw new AssertionError("the idle client got a byte instead of EOF");
            }
            return at;
        } catch (IOException e) {
            // A reset is also the server closing it.
            return System.nanoTime();
        }
    }

    private static String newcomer(ServerProcess server) {
        try (EchoClient client = EchoClient.connect(server.address(), Duration.ofSeconds(5))) {
            // Accepted by the kernel's queue of a listener that is gone? Then it must end at once, unanswered.
            client.send(new byte[] {1});
            return client.readsEof() ? "closed at once" : "accepted: no EOF within 5 s";
        } catch (UncheckedIOException e) {
            return e.getCause() instanceof ConnectException ? "refused" : "failed: " + e.getCause();
        }
    }
}
