package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import org.junit.jupiter.api.Test;

/**
 * The newcomer load's two outcomes against real sockets: a server that never accepts leaves every newcomer
 * unanswered, and they stay in the waits (at the time they gave up), not dropped; a server that serves answers
 * every newcomer and every busy connection.
 */
class NewcomerLoadTest {
    @Test
    void newcomersOfAServerThatNeverAcceptsAreCountedUnansweredAndKeptInTheWaits() throws Exception {
        // A listener nobody accepts on: the kernel completes handshakes into its queue and no echo ever comes.
        try (ServerSocket deaf = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
             NewcomerLoad load = new NewcomerLoad(2, 1, 50, 300, TimeUnit.MILLISECONDS, 64, null)) {
            load.connect((InetSocketAddress) deaf.getLocalSocketAddress());
            NewcomerLoad.Admission window = window(load, 400);
            assertThat(window.arrived()).as("newcomers due in 400 ms at 50/s").isBetween(15L, 25L);
            assertThat(window.unanswered()).as("unanswered").isEqualTo(window.arrived());
            assertThat(window.waits().getTotalCount()).as("waits recorded").isEqualTo(window.arrived());
            assertThat(window.waits().getMinValue()).as("shortest wait, ns: the patience, to the histogram's precision")
                    .isGreaterThanOrEqualTo(window.waits().lowestEquivalentValue(TimeUnit.MILLISECONDS.toNanos(300)));
            assertThat(window.busyUnservedShare()).as("busy connections without an echo").isEqualTo(1.0);
            assertThat(window.listenBacklog()).as("the kernel's accept queue: the busy connections at least")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aServerThatKeepsUpAnswersEveryNewcomerAndServesEveryBusyConnection() throws Exception {
        try (BenchmarkServer server = BenchmarkServer.start(ServerVariant.ET, BenchmarkServer.DEFAULT_JVM_FLAGS, "");
             NewcomerLoad load = new NewcomerLoad(20, 1, 100, 5, TimeUnit.SECONDS, 64, null)) {
            load.connect(server.address());
            NewcomerLoad.Admission window = window(load, 500);
            assertThat(window.arrived()).as("newcomers due in 500 ms at 100/s").isBetween(40L, 60L);
            assertThat(window.unanswered()).as("unanswered").isZero();
            assertThat(window.waits().getTotalCount()).as("waits recorded").isEqualTo(window.arrived());
            assertThat(window.busyUnservedShare()).as("busy connections without an echo").isZero();
            assertThat(window.busyJain()).as("Jain's index over the busy connections' echoes").isGreaterThan(0.5);
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
                NewcomerLoad.Admission window = window(load, 500);
                assertThat(window.arrived()).as("window %d: bursts of 20 due in 500 ms at 400/s", i)
                        .isBetween(180L, 220L).isEqualTo(window.arrived() / 20 * 20);
                assertThat(window.unanswered()).as("window %d: unanswered", i).isZero();
                answered += window.arrived();
            }
            assertThat(load.completed()).as("completed: the connections answered").isEqualTo(answered);
            server.stop();
        }
    }

    private static NewcomerLoad.Admission window(NewcomerLoad load, long millis) throws InterruptedException {
        load.resume();
        Thread.sleep(millis);
        load.pause();
        NewcomerLoad.Admission window = load.takeAdmission();
        assertThat(window).as("the closed window").isNotNull();
        return window;
    }
}
