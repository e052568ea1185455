package lab.epoll.jmh.bench;

import lab.epoll.catalog.Metric;
import lab.epoll.jmh.load.ClientLoad;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The score: echoes the client completed in JMH's measured window, which JMH divides by the window's length and
 * reports as {@code BENCHMARK:echoes} in ops/s ({@link Metric#ECHOES}).
 *
 * <p>Why not one JMH operation per echo: that puts the benchmark thread in the request path, woken once per echo,
 * and at 50 clients that hand-off cost as much as the echo itself. Here the client's event loop counts, and the
 * benchmark method only sleeps a tick and reads the count; the method's own ops/s (ticks) mean nothing.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class EchoCounter {
    /** How long each benchmark call sleeps before it reads the count. */
    static final long TICK_MILLIS = 5;

    /** Echoes completed in this iteration's measured window (the field's name is {@link Metric#ECHOES}' label). */
    public long echoes;

    private long start = -1;

    @Setup(Level.Iteration)
    public void reset() {
        echoes = 0;
        start = -1;
    }

    /** One benchmark call: the first of an iteration marks the window's start; each one updates the count. */
    void tick(ClientLoad load) throws InterruptedException {
        if (start < 0) {
            start = load.completed();
        }
        echoes = load.sleepAndCount(TICK_MILLIS) - start;
    }
}
