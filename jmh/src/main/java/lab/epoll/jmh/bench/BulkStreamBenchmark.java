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
 * (c) Bulk streaming: a few connections each pushing 1 MiB buffers through the echo.
 *
 * <p>Here readiness is rarely the question: the sockets are almost always readable and writable, and what
 * counts is bytes per syscall, the read-buffer sizing, and how soon backpressure pauses and resumes reading.
 * The score is MiB echoed per second ({@code MiB/s}); each echo ({@link EchoCounter}) is one MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BulkStreamBenchmark extends ServerTrial {
    private static final int MIB = 1024 * 1024;

    /** Streaming connections. */
    @Param({"4"})
    public int connections;

    @Override
    protected int payloadLength() {
        return MIB;
    }

    @Override
    protected void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException {
        load.connectActive(server, connections);
    }

    @Benchmark
    public void streamMebibyte(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
