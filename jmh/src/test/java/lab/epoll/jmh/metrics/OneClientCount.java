package lab.epoll.jmh.metrics;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.BenchmarkServer;
import lab.epoll.jmh.load.EchoLoad;
import org.junit.jupiter.api.Assumptions;

/**
 * The server's syscalls over a number of 128-byte echoes from one closed-loop client, counted by perf on the
 * server's threads; skips the test where perf cannot count. The server must end with exit 0.
 *
 * @param counts what perf counted
 * @param echoes the echoes the client completed meanwhile (the one in flight when counting stopped may or may
 *               not have been counted: 1 in thousands)
 */
record OneClientCount(SyscallCounts counts, long echoes) {

    static OneClientCount of(ServerVariant variant, String serverArgs, int echoes) throws InterruptedException {
        String noPerf = PerfStat.availability();
        Assumptions.assumeTrue(noPerf == null, () -> "perf cannot count syscalls here: " + noPerf);
        try (BenchmarkServer server = BenchmarkServer.start(variant, BenchmarkServer.DEFAULT_JVM_FLAGS, serverArgs);
                EchoLoad load = new EchoLoad(128)) {
            load.connectActive(server.address(), 1);
            OneClientCount count;
            try (PerfStat perf = PerfStat.attach(server.pid())) {
                perf.start();
                long before = load.completed();
                load.resume();
                await().atMost(Duration.ofSeconds(60)).until(() -> load.completed() - before >= echoes);
                load.pause();
                SyscallCounts counts = perf.stop();
                count = new OneClientCount(counts, load.completed() - before);
            }
            server.stop();
            return count;
        }
    }

    double perEcho(long calls) {
        return (double) calls / echoes;
    }
}
