package lab.epoll.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The leak check must be able to fail: a buffer dropped without release() has to be reported. */
class LeakRecorderTest {

    @Test
    void reportsABufferThatWasNeverReleased() {
        assertThat(LeakRecorder.isInstalled())
                .as("installed by the session listener")
                .isTrue();
        LeakRecorder.collectLeaks(); // start clean
        // The leak is on purpose: recorded, not printed, so that a green build's log carries no LEAK report.
        Logger netty = Logger.getLogger(ResourceLeakDetector.class.getName());
        Level level = netty.getLevel();
        netty.setLevel(Level.OFF);
        List<String> leaks;
        try {
            leakOneBuffer();
            leaks = LeakRecorder.collectLeaks();
        } finally {
            netty.setLevel(level);
        }
        assertThat(leaks).hasSize(1);
        assertThat(leaks.get(0)).contains("ByteBuf leaked").contains("leakOneBuffer");
    }

    @Test
    void reportsNothingWhenEveryBufferIsReleased() {
        LeakRecorder.collectLeaks();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(1);
        buf.release();
        assertThat(LeakRecorder.collectLeaks()).isEmpty();
    }

    private static void leakOneBuffer() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeInt(42);
        // Dropped here without release(): exactly what the paranoid detector exists to catch.
    }
}
