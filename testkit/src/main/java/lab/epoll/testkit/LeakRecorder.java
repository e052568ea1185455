package lab.epoll.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes Netty's leak reports fail tests. Netty only logs a leak; this installs a detector factory whose detectors
 * also record each report, so {@link FailOnLeaks} can turn it into a failure. It must be installed before
 * Netty creates its buffer leak detector, which is why {@link LeakRecorderSessionListener} does it when the test
 * session opens.
 */
public final class LeakRecorder {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    private LeakRecorder() {}

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(
                    Class<T> resource, int samplingInterval, long maxActive) {
                ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected boolean needReport() {
                        // Netty looks for leaks only while its logger would print them; the record must not
                        // depend on that (LeakRecorderTest silences the logger for the leak it makes on purpose).
                        return true;
                    }
                };
                detector.setLeakListener((type, records) -> record(type + " leaked:" + records));
                return detector;
            }
        });
    }

    private static synchronized void record(String report) {
        LEAKS.add(report);
    }

    /**
     * Collects garbage, then allocates through the detectors so they look at what was collected (Netty only
     * reports leaks when it tracks a new object), and returns and forgets everything reported so far.
     */
    public static synchronized List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 8; i++) {
                release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
                release(UnpooledByteBufAllocator.DEFAULT.heapBuffer(16));
            }
        }
        List<String> leaks = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return leaks;
    }

    private static void release(ByteBuf buf) {
        buf.release();
    }

    public static boolean isInstalled() {
        return installed;
    }
}
