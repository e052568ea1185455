package lab.epoll.jmh;

import java.io.PrintWriter;
import lab.epoll.jmh.cli.HarnessCli;

/**
 * {@code java -jar jmh/target/benchmarks.jar [COMMAND] [options] [JMH options]}, or
 * {@code mvn -pl jmh exec:java [-Dexec.args="..."]}: the lab's benchmark harness. Without a command it runs the
 * quick comparison of every variant ({@link RunMode#QUICK}); the runs ({@link RunMode}), {@code --compare A,B},
 * {@code --profile} and {@code --merge-latencies} are the commands ({@link HarnessCli}), and {@code --help}
 * explains every option. Every trial runs the server and the client on disjoint CPUs ({@link TrialOptions}).
 */
public final class LabBenchmarks {
    private LabBenchmarks() {}

    public static void main(String[] args) {
        int code = HarnessCli.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        // Only a failure exits: under exec:java this is Maven's own JVM, which must finish its build.
        if (code != 0) {
            System.exit(code);
        }
    }
}
