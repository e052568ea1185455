package lab.epoll.oneshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import lab.epoll.oneshot.OneshotCommand.Engine;
import lab.epoll.process.EchoClient;
import lab.epoll.testkit.FailOnLeaks;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both engines, in this JVM, held to what letting several threads serve connections must not cost: no
 * connection is ever handled by two threads at once (the guarantee EPOLLONESHOT exists for), no client stalls
 * (no lost wake-up), echo is byte-exact, and backpressure, half-close, idle timeout, --max-connections and the
 * graceful stop behave like the other variants'.
 */
@ExtendWith(FailOnLeaks.class)
class OneshotEnginesIT {
    private static final Duration RUN = Duration.ofSeconds(4);
    private static final int CLIENTS = 60;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void manyBusyClientsAllKeepProgressingAndNoConnectionIsEverHandledByTwoThreads(Engine engine) throws Exception {
        // More workers than cores, so handlers really interleave and preempt each other.
        try (InProcessServer server = InProcessServer.start(engine, 4)) {
            AtomicLongArray roundTrips = new AtomicLongArray(CLIENTS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            CompletableFuture<?>[] done = new CompletableFuture<?>[CLIENTS];
            long deadline = System.nanoTime() + RUN.toNanos();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                done[i] = CompletableFuture.runAsync(
                        () -> {
                            Random random = new Random(client);
                            try (EchoClient c = EchoClient.connect(server.address(), Duration.ofSeconds(10))) {
                                while (System.nanoTime() < deadline && failure.get() == null) {
                                    byte[] message = new byte[1 + random.nextInt(2048)];
                                    random.nextBytes(message);
                                    byte[] echoed = c.roundTrip(message);
                                    if (!Arrays.equals(message, echoed)) {
                                        throw new AssertionError("client " + client + ": echo differs");
                                    }
                                    roundTrips.incrementAndGet(client);
                                }
                            } catch (Throwable t) {
                                failure.compareAndSet(null, t);
                            }
                        },
                        clients);
            }

            // No lost wake-ups: in every window of the run, every single client completes another round trip.
            int windows = 0;
            while (System.nanoTime() < deadline - Duration.ofMillis(500).toNanos()) {
                long[] before = snapshot(roundTrips);
                await("every client progresses (window " + windows + ")")
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> failure.get() != null || allAdvanced(roundTrips, before));
                assertThat(failure.get()).as("client failure").isNull();
                windows++;
            }
            CompletableFuture.allOf(done).get(30, TimeUnit.SECONDS);
            clients.shutdown();
            assertThat(failure.get()).as("client failure").isNull();

            long total = Arrays.stream(snapshot(roundTrips)).sum();
            assertThat(windows).as("progress windows checked").isGreaterThanOrEqualTo(3);
            assertThat(server.inFlight().events()).as("events handled").isGreaterThanOrEqualTo(CLIENTS);
            assertThat(server.inFlight().violations())
                    .as("two threads on one connection")
                    .isZero();
            assertThat(server.stats().bytesIn())
                    .isEqualTo(server.stats().bytesOut())
                    .isPositive();
            assertThat(total).isGreaterThan(CLIENTS * 3L);
        }
    }

    private static long[] snapshot(AtomicLongArray counts) {
        long[] values = new long[counts.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts.get(i);
        }
        return values;
    }

    private static boolean allAdvanced(AtomicLongArray counts, long[] before) {
        for (int i = 0; i < before.length; i++) {
            if (counts.get(i) <= before[i]) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void echoesSeveralMebibytesByteExact(Engine engine) throws Exception {
        byte[] data = new byte[8 * 1024 * 1024 + 13];
        new Random(4).nextBytes(data);
        try (InProcessServer server = InProcessServer.start(engine, 2);
                EchoClient client = EchoClient.connect(server.address())) {
            // Send and receive at once: the echo of 8 MiB does not fit in the socket buffers.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                for (int offset = 0; offset < data.length; offset += 100_000) {
                    client.send(Arrays.copyOfRange(data, offset, Math.min(data.length, offset + 100_000)));
                }
            });
            byte[] echoed = client.readExactly(data.length);
            sending.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.equals(echoed, data))
                    .as("8 MiB echoed byte for byte")
                    .isTrue();
            assertThat(server.inFlight().violations()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void echoesSmallMessagesByteExact(Engine engine) throws Exception {
        Random random = new Random(5);
        try (InProcessServer server = InProcessServer.start(engine, 2);
                EchoClient client = EchoClient.connect(server.address())) {
            for (int size : new int[] {1, 2, 3, 7, 64, 100, 1000, 2047, 2048, 2049, 4096, 65535, 65536, 65537}) {
                byte[] message = new byte[size];
                random.nextBytes(message);
                assertThat(client.roundTrip(message)).as("%d bytes", size).isEqualTo(message);
            }
            assertThat(client.roundTrip("hi\n".getBytes())).isEqualTo("hi\n".getBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void halfCloseEchoesEverythingReadThenCloses(Engine engine) throws Exception {
        byte[] data = new byte[300_000];
        new Random(6).nextBytes(data);
        try (InProcessServer server = InProcessServer.start(engine, 2);
                EchoClient client = EchoClient.connect(server.address())) {
            client.send(data);
            client.shutdownOutput();
            assertThat(client.readExactly(data.length)).isEqualTo(data);
            assertThat(client.readsEof()).as("closed after the echo").isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().closed() == 1);
            assertThat(server.stats().errors()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stopsReadingFromAPeerThatDoesNotReadAndResumesWhenItDoes(Engine engine) throws Exception {
        int high = 64 * 1024;
        byte[] data = new byte[32 * 1024 * 1024];
        new Random(7).nextBytes(data);
        try (InProcessServer server =
                        InProcessServer.start(engine, 2, "--write-buffer-low", "32k", "--write-buffer-high", "64k");
                Socket socket = new Socket()) {
            // A small receive buffer, fixed before connecting, so the kernel cannot absorb the test's 32 MiB.
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(server.address(), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                        out.write(data, offset, Math.min(64 * 1024, data.length - offset));
                        sent.addAndGet(Math.min(64 * 1024, data.length - offset));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            // The server reads until its unsent echo reaches the high water mark (Netty counts ~96 bytes of
            // overhead per buffered message towards the mark, so it may stop at exactly 64k of payload)...
            await().atMost(Duration.ofSeconds(20)).until(() -> held(server) >= high);
            // ...and then stops: for a whole second it holds no more than the mark plus one read batch
            // (Netty's read loop may read up to 16 buffers before the worker sees the channel unwritable).
            long bound = high + 16 * 64 * 1024 + 64 * 1024;
            await().during(Duration.ofSeconds(1))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> held(server) <= bound && !sending.isDone());
            assertThat(sent.get()).as("the client is blocked, not done").isLessThan(data.length);

            // Reading resumes once the peer reads: everything comes back, in order.
            byte[] echoed = new byte[data.length];
            InputStream in = socket.getInputStream();
            int read = 0;
            while (read < echoed.length) {
                int n = in.read(echoed, read, echoed.length - read);
                assertThat(n).as("EOF after %d bytes", read).isPositive();
                read += n;
            }
            sending.get(30, TimeUnit.SECONDS);
            assertThat(Arrays.equals(echoed, data))
                    .as("32 MiB echoed byte for byte")
                    .isTrue();
            assertThat(server.inFlight().violations()).isZero();
        }
    }

    /** Bytes the server has read but not yet handed to the kernel: its own buffering. */
    private static long held(InProcessServer server) {
        return server.stats().bytesIn() - server.stats().bytesOut();
    }

    /**
     * 1 s, not less: the busy client must never pause for the whole timeout, and a loaded 2-CPU machine running
     * the build can stall a thread for a few hundred milliseconds.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void closesIdleConnectionsButNotBusyOnes(Engine engine) throws Exception {
        try (InProcessServer server = InProcessServer.start(engine, 2, "--idle-timeout", "1s");
                EchoClient idle = EchoClient.connect(server.address(), Duration.ofSeconds(10));
                EchoClient busy = EchoClient.connect(server.address(), Duration.ofSeconds(10))) {
            idle.roundTrip(new byte[] {1});
            CompletableFuture<Boolean> idleClosed = CompletableFuture.supplyAsync(idle::readsEof);
            int roundTrips = 0;
            while (!idleClosed.isDone()) {
                busy.roundTrip(new byte[] {2});
                roundTrips++;
            }
            assertThat(idleClosed.get())
                    .as("idle connection closed by the server")
                    .isTrue();
            assertThat(roundTrips).isPositive();
            // The busy one stays open for another whole timeout and more, talking all the while.
            long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < until) {
                assertThat(busy.roundTrip(new byte[] {3}))
                        .as("the busy one is still served")
                        .containsExactly(3);
            }
            assertThat(server.stats().closedIdle()).as("closed as idle").isPositive();
            assertThat(server.stats().active())
                    .as("the busy connection, still open")
                    .isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesConnectionsBeyondMaxConnections(Engine engine) throws Exception {
        try (InProcessServer server = InProcessServer.start(engine, 2, "--max-connections", "2");
                EchoClient first = EchoClient.connect(server.address(), Duration.ofSeconds(10));
                EchoClient second = EchoClient.connect(server.address(), Duration.ofSeconds(10))) {
            assertThat(first.roundTrip(new byte[] {1})).containsExactly(1);
            assertThat(second.roundTrip(new byte[] {2})).containsExactly(2);
            try (EchoClient third = EchoClient.connect(server.address(), Duration.ofSeconds(10))) {
                assertThat(third.readsEof())
                        .as("third connection closed at once")
                        .isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stats().refused() == 1);
            assertThat(server.stats().accepted()).isEqualTo(2);
            assertThat(first.roundTrip(new byte[] {4})).containsExactly(4);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void gracefulStopRefusesNewConnectionsAtOnceAndClosesTheRestAtTheDeadline(Engine engine) throws Exception {
        InProcessServer server = InProcessServer.start(engine, 2);
        InetSocketAddress address = server.address();
        try (EchoClient client = EchoClient.connect(address, Duration.ofSeconds(20))) {
            assertThat(client.roundTrip(new byte[] {1})).containsExactly(1);
            long start = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(2)));

            await().atMost(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThatThrownBy(
                                    () -> EchoClient.connect(address).close())
                            .as("new connections refused")
                            .isInstanceOf(UncheckedIOException.class));
            // Open connections are still served during the grace period...
            assertThat(client.roundTrip(new byte[] {2})).containsExactly(2);
            // ...and closed when it ends.
            assertThat(client.readsEof()).as("closed at the deadline").isTrue();
            stopping.get(20, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(server.stats().accepted()).isEqualTo(1);
            assertThat(server.stats().closed()).isEqualTo(1);
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void gracefulStopEndsEarlyWhenTheLastConnectionCloses(Engine engine) throws Exception {
        InProcessServer server = InProcessServer.start(engine, 2);
        List<EchoClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(EchoClient.connect(server.address()));
                assertThat(clients.get(i).roundTrip(new byte[] {(byte) i})).containsExactly(i);
            }
            long start = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(30)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !canConnect(server.address()));
            clients.forEach(EchoClient::close);
            stopping.get(20, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(server.stats().closed()).isEqualTo(3);
        } finally {
            clients.forEach(EchoClient::close);
            server.close();
        }
    }

    private static boolean canConnect(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
