package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import lab.epoll.jmh.load.EchoLoad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * (d) The epoll exercise's own benchmark, as it specifies it: 10,000 connections, each connecting, sending 10
 * requests one after another and closing, 100,000 requests in all, connection setup included. Each measured
 * iteration is one whole burst, timed from the first connect to the last close.
 *
 * <p>The exercise expects LT at ~50,000 req/s, 2 ms average latency, ~100,000 {@code epoll_wait} calls and 15%
 * CPU, and ET at ~80,000 req/s, 1.2 ms, ~50,000 calls and 10% CPU. The score is the burst's time; the profiler
 * adds requests per second over the same window ({@code echoes}), round-trip percentiles, the server's CPU and
 * syscalls per request, and its peak RSS. Accepts and closes are in the window, as in the exercise, so syscalls
 * per request include a tenth of each connection's {@code accept} and {@code close}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ExerciseBenchmark extends ServerTrial {
    /** Connections in the burst. */
    @Param({"10000"})
    public int connections;

    /** Requests each connection sends, one at a time, before it closes. */
    @Param({"10"})
    public int requests;

    /** Bytes per request. The exercise leaves it open; 64 is a short text line. */
    @Param({"64"})
    public int payload;

    private InetSocketAddress server;
    private EchoLoad bursts;

    @Override
    protected int payloadLength() {
        return payload;
    }

    /**
     * Only a warm-up burst of 64 one-echo connections: it makes a Netty server start every event loop (and a
     * worker-pool server every worker) before the first measured burst, so perf, which counts the threads that
     * exist when it attaches, misses none of them.
     */
    @Override
    protected void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException {
        this.server = server;
        this.bursts = load;
        load.burst(server, 64, 1);
    }

    @Benchmark
    public void tenRequestsPerConnection() throws InterruptedException {
        bursts.burst(server, connections, requests);
    }
}
