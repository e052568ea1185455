package lab.epoll.oneshot;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks the promise both engines make: at most one thread handles a connection at any moment. Each connection
 * has a {@link Guard}; the thread that handles an event for it {@linkplain Guard#enter() enters} the guard first
 * and {@linkplain Guard#exit() leaves} it before the connection can produce its next event. A thread that finds
 * the guard held by another thread has caught two threads on one connection: that is counted as a violation,
 * never hidden. The tests run fifty-odd busy clients and require zero.
 */
public final class InFlightMonitor {
    private final LongAdder events = new LongAdder();
    private final LongAdder violations = new LongAdder();

    public Guard newGuard() {
        return new Guard(this);
    }

    /** Events handled under a guard so far. */
    public long events() {
        return events.sum();
    }

    /** Times a thread found a connection already held by another thread; must stay 0. */
    public long violations() {
        return violations.sum();
    }

    /** The line both engines log at shutdown, e.g. {@code in-flight guard: events=1234 violations=0}. */
    public String summary() {
        return "in-flight guard: events=" + events() + " violations=" + violations();
    }

    /** One connection's owner: {@code null} while no thread handles it. */
    public static final class Guard {
        private final InFlightMonitor monitor;
        private final AtomicReference<Thread> owner = new AtomicReference<>();

        private Guard(InFlightMonitor monitor) {
            this.monitor = monitor;
        }

        /**
         * Claims the connection for the calling thread. Returns false, and counts a violation, if another thread
         * holds it; the caller must then leave the connection alone.
         */
        public boolean enter() {
            if (owner.compareAndSet(null, Thread.currentThread())) {
                monitor.events.increment();
                return true;
            }
            monitor.violations.increment();
            return false;
        }

        /** Gives the connection up; must be called by the thread that entered, before the connection is re-armed. */
        public void exit() {
            if (!owner.compareAndSet(Thread.currentThread(), null)) {
                monitor.violations.increment();
            }
        }
    }
}
