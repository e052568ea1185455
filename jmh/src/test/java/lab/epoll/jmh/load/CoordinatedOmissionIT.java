package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import lab.epoll.process.Signals;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Why the open loop exists: the server is frozen with SIGSTOP for 300 ms in the middle of a measurement. The
 * closed loop charges the stall once per connection (20 slow round trips among tens of thousands: its p99 does
 * not move, only its max shows it); the open loop charges every request that fell due during the stall, from
 * when it was due, so its p99 shows the stall.
 */
class CoordinatedOmissionIT {
    private static final int CONNECTIONS = 20;
    private static final long STALL_MILLIS = 300;

    @Test
    void aServerStallShowsInTheOpenLoopsP99AndNotInTheClosedLoops() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "")) {
            Histogram open;
            try (OpenLoopLoad load = new OpenLoopLoad(2000, 64)) {
                load.connect(server.address(), CONNECTIONS);
                open = measureAroundAStall(load, server.pid(), 2000);
                assertThat(load.takePacing().offeredPerSecond()).isEqualTo(2000.0);
            }
            Histogram closed;
            try (EchoLoad load = new EchoLoad(64)) {
                load.connectActive(server.address(), CONNECTIONS);
                closed = measureAroundAStall(load, server.pid(), 2000);
            }
            long stallMicros = TimeUnit.MILLISECONDS.toMicros(STALL_MILLIS);
            assertThat(micros(closed.getMaxValue()))
                    .as("the closed loop saw the stall too (max)")
                    .isGreaterThan(stallMicros * 8 / 10);
            assertThat(micros(closed.getValueAtPercentile(99)))
                    .as("closed-loop p99 of %d round trips", closed.getTotalCount())
                    .isLessThan(stallMicros / 5);
            // ~600 of ~4,000 requests fell due during the stall, late by up to its length.
            assertThat(micros(open.getValueAtPercentile(99)))
                    .as("open-loop p99 of %d requests", open.getTotalCount())
                    .isGreaterThan(stallMicros / 2);
            server.stop();
        }
    }

    /** Runs the load for a moment, freezes the server for the stall, lets it recover; the latencies meanwhile. */
    private static Histogram measureAroundAStall(ClientLoad load, long pid, int requestsAfter) {
        load.resume();
        long warm = load.completed();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() - warm >= 1000);
        load.takeLatencies();
        Signals.send(pid, "STOP");
        try {
            Thread.sleep(STALL_MILLIS); // the stall itself: the thing being measured, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Signals.send(pid, "CONT");
        }
        long resumed = load.completed();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.completed() - resumed >= requestsAfter);
        load.pause();
        return load.takeLatencies();
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
