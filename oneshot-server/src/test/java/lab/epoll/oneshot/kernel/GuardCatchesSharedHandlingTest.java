package lab.epoll.oneshot.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.oneshot.InProcessServer;
import lab.epoll.process.EchoClient;
import org.junit.jupiter.api.Test;

/**
 * The in-flight guard must be able to fail: register the same sockets WITHOUT {@code EPOLLONESHOT} (level-triggered
 * only) and several threads waiting on the shared set do get the same connection at once, which the guard counts.
 * This is the failure ONESHOT exists to prevent, and why the zero in the other tests means something.
 */
class GuardCatchesSharedHandlingTest {
    @Test
    void withoutOneshotTwoThreadsGetTheSameConnectionAndTheGuardCountsIt() throws Exception {
        ServerOptions options = ServerOptions.parse("--port", "0");
        KernelOneshotServer withoutOneshot = new KernelOneshotServer(options, 4, false);
        assertThat(withoutOneshot.describe()).doesNotContain("EPOLLONESHOT");
        try (InProcessServer server = InProcessServer.of(withoutOneshot, withoutOneshot.inFlight())) {
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    try (EchoClient client = EchoClient.connect(server.address(), Duration.ofSeconds(5))) {
                        byte[] message = new byte[32 * 1024];
                        while (!stop.get()) {
                            // Echo may be mangled without ONESHOT; the guard's count is what this test reads.
                            client.send(message);
                            client.readExactly(message.length);
                        }
                    } catch (RuntimeException ignored) {
                        // A connection broken by two threads at once is part of what is shown here.
                    }
                }));
            }
            try {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> withoutOneshot.inFlight().violations() > 0);
            } finally {
                stop.set(true);
                CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
                        .completeOnTimeout(null, 10, java.util.concurrent.TimeUnit.SECONDS)
                        .join();
            }
        }
    }
}
