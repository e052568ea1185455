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
 * (b) Idle-connection scaling: K connections that never send, held open while 50 clients echo 64-byte requests.
 *
 * <p>The seeds' claim is that epoll's cost follows the ready fds (the kernel hands back its ready list) while
 * select and poll pay for every registered fd on every call. If that holds, the epoll variants' cost per echo
 * stays flat as K grows from 0 to 10,000, and the poll(2) baseline's grows with K.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IdleConnectionsBenchmark extends ServerTrial {
    private static final int ACTIVE_CLIENTS = 50;
    private static final int PAYLOAD = 64;

    /** Connections that stay silent for the whole trial. */
    @Param({"0", "1000", "10000"})
    public int idle;

    @Override
    protected int payloadLength() {
        return PAYLOAD;
    }

    @Override
    protected void connect(EchoLoad load, InetSocketAddress server) throws InterruptedException {
        load.connectIdle(server, idle);
        load.connectActive(server, ACTIVE_CLIENTS);
    }

    @Benchmark
    public void echoAmongIdleConnections(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
