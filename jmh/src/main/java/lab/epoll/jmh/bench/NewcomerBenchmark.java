package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.Saturation;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.jmh.load.NewcomerLoad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * (f) Who gets served when the server is busy: {@code busy} connections saturate it in a closed loop while new
 * connections arrive at {@code rate} per second, each sending one request ({@link NewcomerLoad}). An average
 * cannot see a server that keeps its throughput by serving the connections it has and leaving new ones in the
 * kernel's accept queue: this scenario times the newcomers.
 *
 * <p>The score is the busy connections' echoes per second; the profiler adds the newcomers' wait (p50 to max,
 * from when each was due to its echo), how many were never answered in the iteration, how evenly the busy
 * connections were served (Jain's index, and the share that got no echo), the listener's accept queue and
 * overflows from the kernel, and with perf the wake-ups per second and accept calls per wake-up that explain
 * them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NewcomerBenchmark extends ServerTrial {
    /** Connections keeping the server saturated, each with one request in flight. */
    @Param({"2000"})
    public int busy;

    /**
     * Requests each busy connection keeps in flight. More than one lets the server read several per read and
     * makes it cheaper per echo than the client, which then cannot saturate it.
     */
    @Param({"1"})
    public int depth;

    /** New connections per second, each sending one request and closing once answered. */
    @Param({"200"})
    public double rate;

    /** Seconds a newcomer waits for its echo before it gives up and counts as unanswered. */
    @Param({"5"})
    public int patience;

    /**
     * CPUs where a spinning thread competes with the server ({@code taskset -c} syntax), so the offered load is
     * more than it can serve; {@code server}: the server's own CPUs (the default); {@code none}: no competition,
     * and the client and the server settle near the same rate.
     */
    @Param({SERVER_CPUS})
    public String hog;

    /** The {@code hog} value that means the server's own CPUs. */
    static final String SERVER_CPUS = "server";

    /** Bytes per request. */
    @Param({"64"})
    public int payload;

    @Override
    protected int payloadLength() {
        return payload;
    }

    @Override
    protected ClientLoad newLoad(InetSocketAddress server) {
        NewcomerLoad load = new NewcomerLoad(
                busy,
                depth,
                rate,
                patience,
                TimeUnit.SECONDS,
                payload,
                hog.equals(Saturation.NO_HOG) ? null : CpuSet.parse(hog.equals(SERVER_CPUS) ? serverCpus : hog));
        return connected(load, l -> l.connect(server), "open " + busy + " busy connections to " + server);
    }

    @Benchmark
    public void serve(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
