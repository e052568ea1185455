package lab.epoll.common;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollMode;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.BudgetedRecvByteBufAllocator;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.common.transport.EpollTransport;
import lab.epoll.common.transport.Transport;
import lab.epoll.process.EchoClient;
import lab.epoll.testkit.FailOnLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared server core in process, once per epoll mode: the echo itself, backpressure, half-close, the
 * connection limit, idle timeouts and the counters. Each test stops the server gracefully and checks that the
 * counters balance; {@link FailOnLeaks} fails it if any Netty buffer leaked.
 */
@ExtendWith(FailOnLeaks.class)
class EchoServerIT {
    private EchoServer server;
    private InetSocketAddress address;

    private void start(EpollMode mode, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", "0", "--io-threads", "2"));
        all.addAll(List.of(args));
        server = new EchoServer(ServerOptions.parse(all.toArray(String[]::new)), new EpollTransport(mode));
        address = server.start();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    /** Stops the server and returns its final counters, which must balance: nothing open, nothing lost. */
    private ConnectionStats.Snapshot stopAndCount() {
        server.stop(Duration.ofSeconds(5));
        ConnectionStats.Snapshot stats = server.stats();
        server = null;
        assertThat(stats.active()).isZero();
        assertThat(stats.closed()).isEqualTo(stats.accepted());
        assertThat(stats.bytesOut()).isEqualTo(stats.bytesIn());
        return stats;
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void echoesALine(EpollMode mode) throws Exception {
        start(mode);
        byte[] line = "Hello, epoll!\n".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = EchoClient.connect(address)) {
            assertThat(client.roundTrip(line)).isEqualTo(line);
        }
        ConnectionStats.Snapshot stats = stopAndCount();
        assertThat(stats.accepted()).isEqualTo(1);
        assertThat(stats.bytesIn()).isEqualTo(line.length);
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void echoesTenMebibytesByteForByte(EpollMode mode) throws Exception {
        start(mode);
        byte[] data = randomBytes(10 * 1024 * 1024, 42);
        try (EchoClient client = EchoClient.connect(address)) {
            // Send from another thread: the server stops reading while we are not reading its echo.
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> client.send(data));
            assertThat(client.readExactly(data.length)).isEqualTo(data);
            sent.get(30, SECONDS);
        }
        assertThat(stopAndCount().bytesIn()).isEqualTo(data.length);
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void servesOneHundredConcurrentClients(EpollMode mode) throws Exception {
        start(mode);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] message = ("Client " + i + "\n").repeat(10).getBytes(StandardCharsets.US_ASCII);
                results.add(pool.submit(() -> {
                    try (EchoClient client = EchoClient.connect(address)) {
                        for (int round = 0; round < 10; round++) {
                            if (!java.util.Arrays.equals(client.roundTrip(message), message)) {
                                return false;
                            }
                        }
                        return true;
                    }
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        ConnectionStats.Snapshot stats = stopAndCount();
        assertThat(stats.accepted()).isEqualTo(100);
        assertThat(stats.errors()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void halfCloseGetsTheWholeEchoThenEof(EpollMode mode) throws Exception {
        start(mode);
        byte[] data = randomBytes(300_000, 7);
        try (EchoClient client = EchoClient.connect(address)) {
            client.send(data);
            client.shutdownOutput();
            assertThat(client.readExactly(data.length)).isEqualTo(data);
            assertThat(client.readsEof())
                    .as("server closes after echoing a half-closed peer")
                    .isTrue();
        }
        await().atMost(10, SECONDS).until(() -> server.stats().active() == 0);
        assertThat(stopAndCount().bytesIn()).isEqualTo(data.length);
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void stopsReadingFromAPeerThatDoesNotReadItsEcho(EpollMode mode) throws Exception {
        start(mode, "--write-buffer-low", "32k", "--write-buffer-high", "64k");
        int total = 32 * 1024 * 1024;
        byte[] data = randomBytes(total, 3);
        try (EchoClient client = EchoClient.connect(address)) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> client.send(data));
            // The server reads until its queue for this peer passes the high mark, then stops; what is left
            // sits in the kernel's socket buffers. "Stops" = bytes-in does not move for a whole second.
            AtomicLong last = new AtomicLong(-1);
            await().atMost(30, SECONDS).pollInterval(Duration.ofMillis(250)).until(() -> {
                long now = server.stats().bytesIn();
                return now == last.getAndSet(now) && now > 0;
            });
            await().during(Duration.ofSeconds(1))
                    .atMost(5, SECONDS)
                    .until(() -> server.stats().bytesIn() == last.get());
            assertThat(server.stats().bytesIn()).isLessThan(total);
            // One read batch may land after the mark is crossed: 16 reads of at most 64 KiB each.
            assertThat(server.pendingOutboundBytes()).isBetween(64L * 1024, 64L * 1024 + 16 * 65536);
            assertThat(sent).isNotDone();

            assertThat(client.readExactly(total))
                    .as("everything arrives once we read")
                    .isEqualTo(data);
            sent.get(30, SECONDS);
        }
        assertThat(stopAndCount().bytesIn()).isEqualTo(total);
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void refusesConnectionsBeyondTheLimit(EpollMode mode) throws Exception {
        start(mode, "--max-connections", "2");
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient first = EchoClient.connect(address);
                EchoClient second = EchoClient.connect(address)) {
            assertThat(first.roundTrip(ping)).isEqualTo(ping);
            assertThat(second.roundTrip(ping)).isEqualTo(ping);
            try (EchoClient third = EchoClient.connect(address, Duration.ofSeconds(10))) {
                assertThat(third.readsEof())
                        .as("the third connection is closed at once")
                        .isTrue();
            }
            await().atMost(10, SECONDS).until(() -> server.stats().refused() == 1);
            assertThat(first.roundTrip(ping))
                    .as("existing connections are unaffected")
                    .isEqualTo(ping);
        }
        ConnectionStats.Snapshot stats = stopAndCount();
        assertThat(stats.accepted()).isEqualTo(2);
        assertThat(stats.refused()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void closesIdleConnections(EpollMode mode) throws Exception {
        start(mode, "--idle-timeout", "300ms");
        try (EchoClient client = EchoClient.connect(address, Duration.ofSeconds(10))) {
            long started = System.nanoTime();
            assertThat(client.readsEof()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        await().atMost(10, SECONDS).until(() -> server.stats().closedIdle() == 1);
        assertThat(stopAndCount().closedIdle()).isEqualTo(1);
    }

    /**
     * A peer that reads its echo slowly is not idle while the server is still sending to it, though it sends
     * nothing: the idle sweep counts a change in the unsent echo as activity. The server reads all 8 MiB at once;
     * read back at 64 KiB every 20 ms they take about 2.6 s, more than twice the timeout. The last MiB or so
     * waits in the kernel's send buffer, where no server sees it move, but drains well within the timeout.
     */
    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void aConnectionStillSendingItsEchoIsNotIdle(EpollMode mode) throws Exception {
        start(mode, "--idle-timeout", "1s", "--write-buffer-low", "8m", "--write-buffer-high", "16m");
        int total = 8 * 1024 * 1024;
        byte[] data = randomBytes(total, 5);
        byte[] back = new byte[total];
        int received = 0;
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // else the kernel's buffers could hold the whole echo
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(data);
            await().atMost(10, SECONDS).until(() -> server.stats().bytesIn() == total);
            InputStream in = socket.getInputStream();
            while (received < total) {
                int n = in.readNBytes(back, received, Math.min(64 * 1024, total - received));
                received += n;
                assertThat(n)
                        .as("bytes after %d of the echo: closed while still sending", received)
                        .isPositive();
                Thread.sleep(20); // the slow reader's own pace
            }
        }
        assertThat(back).isEqualTo(data);
        assertThat(stopAndCount().closedIdle()).isZero();
    }

    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void gracefulStopWaitsForOpenConnectionsThenClosesThem(EpollMode mode) throws Exception {
        start(mode);
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = EchoClient.connect(address, Duration.ofSeconds(10))) {
            assertThat(client.roundTrip(ping)).isEqualTo(ping);
            long started = System.nanoTime();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofMillis(700)));
            // Still served during the grace period...
            assertThat(client.roundTrip(ping)).isEqualTo(ping);
            // ...and closed when it ends.
            assertThat(client.readsEof()).isTrue();
            stopped.get(10, SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
        ConnectionStats.Snapshot stats = server.stats();
        server = null;
        assertThat(stats.active()).isZero();
        assertThat(stats.bytesOut()).isEqualTo(stats.bytesIn()).isEqualTo(8);
    }

    /**
     * A transport that sets its own read allocator, as the io_uring one once did: the server's budgeted allocator
     * must still be the one every connection reads with, or the budget's reads go unsized.
     */
    @ParameterizedTest
    @EnumSource(EpollMode.class)
    void noTransportCanReplaceTheBudgetedReadAllocator(EpollMode mode) throws Exception {
        CompletableFuture<RecvByteBufAllocator> used = new CompletableFuture<>();
        Transport epoll = new EpollTransport(mode);
        Transport ownAllocator = new Transport() {
            @Override
            public void ensureAvailable() throws ServerStartException {
                epoll.ensureAvailable();
            }

            @Override
            public String describe() {
                return epoll.describe();
            }

            @Override
            public EventLoopGroup newEventLoopGroup(ServerOptions options) {
                return epoll.newEventLoopGroup(options);
            }

            @Override
            public ServerChannel newServerChannel(InetAddress host) {
                return epoll.newServerChannel(host);
            }

            @Override
            public void configure(ServerBootstrap bootstrap, ServerOptions options) {
                epoll.configure(bootstrap, options);
                bootstrap.childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(4096));
            }

            @Override
            public void addEchoStage(ChannelPipeline pipeline, ConnectionStats stats, PendingBudget budget) {
                used.complete(pipeline.channel().config().getRecvByteBufAllocator());
                epoll.addEchoStage(pipeline, stats, budget);
            }
        };
        server = new EchoServer(ServerOptions.parse("--port", "0"), ownAllocator);
        address = server.start();
        byte[] line = "budgeted\n".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = EchoClient.connect(address)) {
            assertThat(client.roundTrip(line)).isEqualTo(line);
        }
        assertThat(used.get(10, SECONDS)).isInstanceOf(BudgetedRecvByteBufAllocator.class);
        stopAndCount();
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }
}
