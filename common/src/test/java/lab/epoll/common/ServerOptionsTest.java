package lab.epoll.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.OpenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.ParameterException;

/** Defaults a user gets without flags, and the combinations {@link ServerOptions#validate()} must refuse. */
class ServerOptionsTest {

    @Test
    void defaultsAreSafeAndMatchTheHelpText() {
        ServerOptions options = ServerOptions.parse();
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(options.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.writeBufferLow()).isEqualTo(32 * 1024);
        assertThat(options.writeBufferHigh()).isEqualTo(64 * 1024);
        assertThat(options.tcpNoDelay()).isTrue();
        assertThat(options.listeners()).isEqualTo(1);
        assertThat(options.maxConnections())
                .as("the open-file limit less a tenth and 64")
                .isEqualTo(Math.max(0, OpenFiles.limit() - 64 - OpenFiles.limit() / 10))
                .isEqualTo(OpenFiles.defaultMaxConnections());
        assertThat(options.recvAllocator().isAdaptive()).isTrue();
        assertThat(options.maxMessagesPerRead()).isEqualTo(16);
        assertThat(options.allocator()).isEqualTo(ServerOptions.AllocatorChoice.pooled);
        assertThat(options.verbose()).isFalse();
    }

    @Test
    void busyPollTakesMicroseconds() {
        assertThat(ServerOptions.parse("--busy-poll", "50us").busyPoll()).isEqualTo(Duration.ofNanos(50_000));
    }

    @Test
    void tcpNoDelayCanBeTurnedOff() {
        assertThat(ServerOptions.parse("--no-tcp-nodelay").tcpNoDelay()).isFalse();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--port|70000",
                "--io-threads|0",
                "--backlog|0",
                "--listeners|0",
                "--max-events|-1",
                "--max-messages-per-read|0",
                "--accept-batch|-1",
                "--max-connections|-5",
                "--tcp-defer-accept|1500ms",
                "--busy-poll|1500ns",
                "--write-buffer-low|128k",
            })
    void refusesOutOfRangeValuesNamingTheOption(String option, String value) {
        assertThatThrownBy(() -> ServerOptions.parse(option, value))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("Invalid value for option '" + option + "'");
    }
}
