package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import org.junit.jupiter.api.Test;

/** The newcomer load against a server process that serves: every newcomer and every busy connection answered. */
class NewcomerLoadIT {
    @Test
    void aServerThatKeepsUpAnswersEveryNewcomerAndServesEveryBusyConnection() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
                NewcomerLoad load = new NewcomerLoad(20, 1, 100, 5, TimeUnit.SECONDS, 64, null)) {
            load.connect(server.address());
            NewcomerLoad.Admission window = NewcomerLoadTest.window(load, 500);
            assertThat(window.arrived()).as("newcomers due in 500 ms at 100/s").isBetween(40L, 60L);
            assertThat(window.unanswered()).as("unanswered").isZero();
            assertThat(window.waits().getTotalCount()).as("waits recorded").isEqualTo(window.arrived());
            assertThat(window.busyUnservedShare())
                    .as("busy connections without an echo")
                    .isZero();
            assertThat(window.busyJain())
                    .as("Jain's index over the busy connections' echoes")
                    .isGreaterThan(0.5);
            assertThat(load.completed()).as("busy echoes").isPositive();
            server.stop();
        }
    }

    /** Arrivals alone (the churn scenario): every window's connections are answered, and they are its count. */
    @Test
    void arrivalsAloneAreAnsweredWindowAfterWindowAndAreWhatItCompletes() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
                NewcomerLoad load = NewcomerLoad.arrivals(400, 20, 5, TimeUnit.SECONDS, 64)) {
            load.connect(server.address());
            long answered = 0;
            for (int i = 0; i < 2; i++) {
                NewcomerLoad.Admission window = NewcomerLoadTest.window(load, 500);
                assertThat(window.arrived())
                        .as("window %d: bursts of 20 due in 500 ms at 400/s", i)
                        .isBetween(180L, 220L)
                        .isEqualTo(window.arrived() / 20 * 20);
                assertThat(window.unanswered()).as("window %d: unanswered", i).isZero();
                answered += window.arrived();
            }
            assertThat(load.completed())
                    .as("completed: the connections answered")
                    .isEqualTo(answered);
            server.stop();
        }
    }
}
