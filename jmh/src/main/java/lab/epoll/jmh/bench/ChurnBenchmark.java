package lab.epoll.jmh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerVariant;
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
 * (g) How several threads share new connections: connections arrive at {@code rate} a second, {@code burst} at a
 * time, each sending one request and closing once answered ({@link NewcomerLoad#arrivals}), and nothing else,
 * against a server with {@code servingThreads} serving threads (its {@link ServerVariant#servingThreadsOption()}).
 *
 * <p>The score is connections answered per second. Per connection the profiler adds the server's context
 * switches (each a thread put to sleep and woken again: a thread woken for a connection another thread takes
 * shows here even when its {@code epoll_wait} never returns), its {@code epoll_wait} calls, its {@code accept4}
 * calls that found the queue empty and its CPU; how the connections spread over the serving threads, from
 * which thread closed each (busiest and idlest share, Jain's index); and each connection's wait, from when it was
 * due to its echo, with those never answered.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChurnBenchmark extends ServerTrial {
    /** New connections per second, on average. */
    @Param({"1000"})
    public double rate;

    /** Connections opened at once: {@code rate / burst} bursts a second. */
    @Param({"1"})
    public int burst;

    /** Threads that serve connections, set through the variant's own option. */
    @Param({"2"})
    public int servingThreads;

    /**
     * Netty's event loops only: a listener per loop on one port ({@code --listeners N}, {@code SO_REUSEPORT})
     * rather than one listener on one loop. raw-server's own is the {@code raw-reuseport} variant.
     */
    @Param({"false"})
    public boolean reuseport;

    /** Seconds a connection waits for its echo before it gives up and counts as unanswered. */
    @Param({"5"})
    public int patience;

    /** Bytes per request. */
    @Param({"64"})
    public int payload;

    @Override
    protected int payloadLength() {
        return payload;
    }

    @Override
    protected String scenarioServerArgs(ServerVariant variant) {
        ServerOption option = variant.servingThreadsOption()
                .orElseThrow(() -> new IllegalArgumentException("variant " + variant
                        + " gives every connection a thread of its own: no threads to share them"));
        if (reuseport && !variant.has(ServerVariant.Feature.EVENT_LOOPS)) {
            throw new IllegalArgumentException("reuseport=true is for Netty's event loops; raw-server's is the "
                    + ServerVariant.RAW_REUSEPORT + " variant");
        }
        return option.with(Integer.toString(servingThreads))
                + (reuseport ? " " + ServerOption.LISTENERS.with(Integer.toString(servingThreads)) : "");
    }

    @Override
    protected int servingThreads() {
        return servingThreads;
    }

    @Override
    protected ClientLoad newLoad(InetSocketAddress server) {
        prime(server);
        return connected(
                NewcomerLoad.arrivals(rate, burst, patience, TimeUnit.SECONDS, payload),
                l -> l.connect(server),
                "start the arrivals to " + server);
    }

    /**
     * One echo on each of a few connections, one after another, before perf attaches: perf counts the threads
     * that exist then, and Netty starts an event loop's thread only when a first connection is handed to it.
     */
    private void prime(InetSocketAddress server) {
        for (int i = 0; i < 2 * servingThreads + 2; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(server, 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write('p');
                if (socket.getInputStream().read() != 'p') {
                    throw new IOException("no echo");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("priming connection " + (i + 1) + " to " + server + " failed", e);
            }
        }
    }

    @Benchmark
    public void serve(EchoCounter counter) throws InterruptedException {
        counter.tick(load);
    }
}
