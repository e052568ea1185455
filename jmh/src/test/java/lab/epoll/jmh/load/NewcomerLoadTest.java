package lab.epoll.jmh.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The newcomer load against a server that never accepts: every newcomer unanswered, and they stay in the waits (at
 * the time they gave up), not dropped. The serving side is {@link NewcomerLoadIT}'s.
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
            assertThat(window.waits().getMinValue())
                    .as("shortest wait, ns: the patience, to the histogram's precision")
                    .isGreaterThanOrEqualTo(window.waits().lowestEquivalentValue(TimeUnit.MILLISECONDS.toNanos(300)));
            assertThat(window.busyUnservedShare())
                    .as("busy connections without an echo")
                    .isEqualTo(1.0);
            assertThat(window.listenBacklog())
                    .as("the kernel's accept queue: the busy connections at least")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    /** Lets the load run for {@code millis} and returns the window it closed. */
    static NewcomerLoad.Admission window(NewcomerLoad load, long millis) throws InterruptedException {
        load.resume();
        Thread.sleep(millis);
        load.pause();
        NewcomerLoad.Admission window = load.takeAdmission();
        assertThat(window).as("the closed window").isNotNull();
        return window;
    }
}
