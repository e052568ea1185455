package lab.epoll.common.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many connections an engine that runs its own threads has open (the raw loops, the kernel ONESHOT engine,
 * the thread-per-connection server), and the graceful shutdown's wait for them: once the listeners are closed,
 * {@link #drain} lets open connections finish for up to the grace period, has the engine close the rest, and
 * waits a little more for it to. The Netty variants get the same from {@link ConnectionRegistry}.
 */
public final class OpenConnections {
    private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);
    /** How long {@link #drain} waits for the forced closes before it gives up on them. */
    private static final Duration FORCED_CLOSE_WAIT = Duration.ofSeconds(5);

    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    /**
     * Admits one more connection unless that would exceed {@code max} (0: no limit) or the server is draining;
     * false means refuse it.
     */
    public boolean tryOpen(int max) {
        int now = open.incrementAndGet();
        if (draining || (max > 0 && now > max)) {
            closed();
            return false;
        }
        return true;
    }

    /** One admitted connection closed. */
    public void closed() {
        if (open.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    public int count() {
        return open.get();
    }

    /** The listeners are closed: from now on the last close completes the drain, and no connection is admitted. */
    public void startDraining() {
        draining = true;
        if (open.get() == 0) {
            drained.complete(null);
        }
    }

    /**
     * After {@link #startDraining()}: waits up to {@code grace} for every connection to close; then runs
     * {@code closeTheRest} (which must make the loop close them) and waits for that. Logs each step, as the
     * Netty variants do. True when all closed.
     */
    public boolean drain(Duration grace, Runnable closeTheRest) {
        int openNow = open.get();
        if (openNow > 0) {
            log.info("listener closed; waiting up to {} ms for {} open connection(s)", grace.toMillis(), openNow);
        }
        if (await(grace)) {
            return true;
        }
        log.info("grace period over; closing {} connection(s)", open.get());
        closeTheRest.run();
        if (await(FORCED_CLOSE_WAIT)) {
            return true;
        }
        log.warn("{} connection(s) did not close; closing them after the loop stops", open.get());
        return false;
    }

    private boolean await(Duration timeout) {
        try {
            drained.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
