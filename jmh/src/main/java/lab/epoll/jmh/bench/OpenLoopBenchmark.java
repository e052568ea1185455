package lab.epoll.jmh.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.jmh.load.OpenLoopLoad;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * (e) Latency at a given load: C connections share an offered rate R; every request leaves on a fixed schedule
 * and its latency runs from when it was due to its echo ({@link OpenLoopLoad}), so a server that stalls is
 * charged for every request it delayed, as a user would be. This is the response time at load R, not the
 * closed loop's service time.
 *
 * <p>The score is the achieved echo rate, which must match {@code rate} while the server keeps up; the profiler
 * adds the offered rate, the client's pacing error (p99 lateness of its writes against the schedule), and p50
 * to p99.99 and max of the response times, with the server-side metrics of every scenario.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OpenLoopBenchmark extends ServerTrial {
    /** Offered requests per second, over all connections. */
    @Param({"2000"})
    public double rate;

    /** Connections sharing the rate; a request may pipeline behind others on its connection. */
    @Param({"50"})
    public int clients;

    /** Bytes per request. */
    @Param({"64"})
    public int payload;

    @Override
    protected int payloadLength() {
        return payload;
    }

    @Override
    protected ClientLoad newLoad(InetSocketAddress server) {
        return connected(new OpenLoopLoad(rate, payload), l -> l.connect(server, clients), "connect to " + server);
    }

    @Benchmark
    public void respond(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
