package lab.epoll.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension: after each test, a Netty buffer that was garbage-collected without being released fails the
 * test with Netty's own report of where it was last touched. Test JVMs run with
 * {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 */
public final class FailOnLeaks implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        if (!LeakRecorder.isInstalled()) {
            throw new AssertionError("LeakRecorder is not installed: is testkit's LauncherSessionListener missing?");
        }
        List<String> leaks = LeakRecorder.collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer leak(s):\n" + String.join("\n\n", leaks));
        }
    }
}
