package lab.epoll.common.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM, SIGINT and SIGHUP, the JVM's way: the exercise blocks the signals and reads them from a signalfd in
 * its epoll set, but a JVM cannot own its process's signal mask (it starts threads of its own and uses signals
 * itself), so it delivers signals to one dispatcher thread instead; {@link Signal#handle} hooks us into that
 * thread.
 *
 * <p>The first signal starts the graceful shutdown; a second one exits at once with 128 + the signal number,
 * for when waiting out the grace period is not what the operator wants.
 */
public final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch received = new CountDownLatch(1);
    private final AtomicReference<String> first = new AtomicReference<>();

    private ShutdownSignals() {}

    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        // HUP too: closing the terminal of an ssh session sends it, and the JVM's default for it is to die at once,
        // resetting every connection without a word.
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(name), signals::onSignal);
        }
        return signals;
    }

    private void onSignal(Signal signal) {
        if (first.compareAndSet(null, "SIG" + signal.getName())) {
            received.countDown();
        } else {
            log.warn("second signal (SIG{}) during shutdown: exiting now", signal.getName());
            System.out.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    /** Blocks until the first signal; returns its name, e.g. {@code SIGTERM}. */
    public String awaitFirst() throws InterruptedException {
        received.await();
        return first.get();
    }
}
