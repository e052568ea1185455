package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Half-close: a client that sends N bytes and then shuts down its output (FIN) reads back exactly
 * N bytes followed by EOF, and the server then closes its side: its open fds return to their baseline (and, for
 * a variant with {@link Feature#COUNTERS}, its {@code active} count to 0). Half-close needs no other feature.
 *
 * <p>Why it matters for epoll: the FIN arrives as {@code EPOLLRDHUP}, often in the same event as the last data,
 * and on a large echo while reading is paused by backpressure. A server that treats RDHUP as "close now" loses
 * the unread tail; an edge-triggered one that handles RDHUP but forgets the data still queued behind it never
 * gets another event for it; one that never closes after flushing leaks the fd. N = 0 (FIN with no data),
 * 1 B, 64 KiB + 1 (just past the high water mark) and 4 MiB (many pause/resume cycles before the FIN is read).
 */
class HalfCloseIT {
    static final long[] SIZES = {0, 1, 64 * 1024 + 1, 4 * 1024 * 1024};

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void echoesEverythingThenClosesItsSide(ServerVariant variant) {
        ServerProcess server = servers.start(variant);

        List<EchoStream> streams = new ArrayList<>();
        try {
            for (long size : SIZES) {
                streams.add(EchoStream.connect(server.address(), 1000 + size)
                        .length(size)
                        .halfCloseWhenDone()
                        .start());
            }
            long total = 0;
            for (int i = 0; i < SIZES.length; i++) {
                EchoStream.Result result = streams.get(i).await(Duration.ofMinutes(2));
                assertThat(result.intact() && result.sent() == SIZES[i] && result.eof())
                        .as(
                                "%s server, %d B then FIN: expected exactly %d B back, then EOF; got %s",
                                variant, SIZES[i], SIZES[i], result)
                        .isTrue();
                total += result.sent();
            }

            if (variant.has(Feature.COUNTERS)) {
                long expected = total;
                ServerCounters counters = server.awaitStats(
                        "every half-closed connection closed by the server",
                        c -> c.active() == 0 && c.closed() == SIZES.length && c.bytesOut() == expected);
                assertThat(counters.accepted()).as("accepted").isEqualTo(SIZES.length);
                assertThat(counters.bytesIn()).as("bytes-in").isEqualTo(expected);
                assertThat(counters.errors()).as("errors").isZero();
            }
            // The client still holds its sockets: the server's fds are back because the server closed them.
            server.awaitFdsAtBaseline();
        } finally {
            streams.forEach(EchoStream::close);
        }
    }
}
