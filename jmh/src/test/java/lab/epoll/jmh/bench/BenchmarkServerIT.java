package lab.epoll.jmh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.Signals;
import org.junit.jupiter.api.Test;

/** A benchmark's server is a real process that must end with exit 0, or the trial's numbers are refused. */
class BenchmarkServerIT {

    @Test
    void startsTheVariantAndStopsItGracefully() {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "")) {
            try (EchoClient client = EchoClient.connect(server.address())) {
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                assertThat(client.roundTrip(ping)).isEqualTo(ping);
            }
            server.stop();
        }
    }

    @Test
    void passesServerOptionsThrough() {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.LT, "", "--max-connections 1")) {
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            try (EchoClient first = EchoClient.connect(server.address())) {
                // Admitted and echoing before the second connects, so the second is the one over the limit.
                assertThat(first.roundTrip(ping)).isEqualTo(ping);
                try (EchoClient second = EchoClient.connect(server.address())) {
                    assertThat(second.readsEof())
                            .as("refused: the option reached the server")
                            .isTrue();
                }
            }
            server.stop();
        }
    }

    @Test
    void aServerThatDidNotExitCleanlyFailsTheTrial() {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.LT, "", "")) {
            Signals.send(server.pid(), "KILL");
            assertThatThrownBy(server::stop)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with 137");
        }
    }
}
