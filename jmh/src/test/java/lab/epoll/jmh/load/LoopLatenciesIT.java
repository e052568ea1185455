package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;

import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** A real load of several client loops against a server process: every echo is recorded once, by one loop. */
class LoopLatenciesIT {
    private static final int LOOPS = 4;

    @Test
    void aLoadOfSeveralLoopsRecordsEveryEchoOnce() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
                EchoLoad load = new EchoLoad(128, LOOPS)) {
            load.connectActive(server.address(), 2 * LOOPS);
            load.takeLatencies(); // the connections' first echoes
            long before = load.completed();
            load.resume();
            load.sleepAndCount(500);
            load.pause();
            // The paused loops finish what is in flight: wait until the count stops moving.
            long settled;
            do {
                settled = load.completed();
                load.sleepAndCount(50);
            } while (load.completed() != settled);
            Histogram merged = load.takeLatencies();
            assertThat(merged.getTotalCount())
                    .as("round trips recorded by %d loops, merged", LOOPS)
                    .isEqualTo(settled - before)
                    .isPositive();
            load.close();
            server.stop();
        }
    }
}
