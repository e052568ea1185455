package lab.epoll.jmh;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import lab.epoll.jmh.bench.BulkStreamBenchmark;
import lab.epoll.jmh.bench.EchoBenchmark;
import lab.epoll.jmh.bench.IdleConnectionsBenchmark;
import lab.epoll.jmh.metrics.PerfStat;
import lab.epoll.jmh.metrics.ServerMetricsProfiler;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerVariant;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code mvn -pl jmh exec:java [-Dexec.args="..."]}: runs the comparison of every variant and prints a Markdown
 * table; JMH's JSON goes to {@code jmh/target/results.json}.
 *
 * <p>Arguments: {@code --quick} (the default: a few minutes), {@code --full} (the whole matrix),
 * {@code --tuning} (one server option at a time, into {@code jmh/target/tuning.json}), and any of
 * JMH's own options, which win over the defaults: a benchmark regex, {@code -p clients=1000}, {@code -f 3},
 * {@code -i 10}, {@code -prof ...}, {@code -rff other.json}.
 *
 * <p>{@code --report [path/to/results.json]} runs no benchmark: the report has its own module now, and this only
 * says so, with the command to run instead ({@code mvn -pl report exec:java}), and exits 2.
 */
public final class LabBenchmarks {
    /** The server options the tuning run turns, one per trial; "" is the untuned baseline. */
    static final String[] TUNING_KNOBS = {"", "--no-tcp-nodelay", "--tcp-quickack", "--max-events 8",
        "--busy-poll 50us", "--allocator unpooled", "--listeners 2", "--max-messages-per-read 1",
        "--recv-allocator fixed:64k"};

    private LabBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int report = Arrays.asList(args).indexOf("--report");
        if (report >= 0) {
            // Before anything JMH does: the report reads a finished run and must not start one.
            String[] path = Arrays.copyOfRange(args, report + 1, args.length);
            System.err.println("--report moved: run mvn -pl report exec:java"
                    + (path.length == 0 ? "" : " -Dexec.args=\"" + String.join(" ", path) + "\""));
            System.exit(2);
            return;
        }
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        boolean full = jmhArgs.remove("--full");
        boolean tuning = jmhArgs.remove("--tuning");
        jmhArgs.remove("--quick");
        if (jmhArgs.contains("--help")) {
            System.out.println("usage: mvn -pl jmh exec:java -Dexec.args=\"[--quick|--full] [JMH options]\"\n"
                    + "       mvn -pl jmh exec:java -Dexec.args=\"--report [path/to/results.json]\"\n"
                    + "  --quick  the default: every variant, fewer parameters and short iterations\n"
                    + "  --full   every variant over the whole parameter matrix\n"
                    + "  --tuning one server option at a time on lt and et (50 clients, 512 B), into tuning.json\n"
                    + "  --report no benchmark: write PERFORMANCE.md's tables and docs/*.png from a run's JSON\n"
                    + "           (default jmh/target/results.json)\n"
                    + "JMH's options (e.g. -p clients=1000, -f 2, -i 5, a benchmark regex) override the defaults;"
                    + " -h lists them.");
            return;
        }
        CommandLineOptions user;
        try {
            user = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("jmh: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (user.shouldHelp() || user.shouldList()) {
            new Runner(user).list();
            return;
        }
        useProjectClasspathInForks();

        Path results = LabPaths.root().resolve(tuning ? "jmh/target/tuning.json" : "jmh/target/results.json");
        Files.createDirectories(results.getParent());
        ChainedOptionsBuilder options = new OptionsBuilder().parent(user)
                .threads(1)
                .shouldFailOnError(true)
                .jvmArgsAppend("-Dlab.root=" + LabPaths.root(), "-Xms1g", "-Xmx1g",
                        "-Dio.netty.leakDetection.level=disabled")
                .addProfiler(ServerMetricsProfiler.class);
        if (tuning) {
            if (user.getIncludes().isEmpty()) {
                options.include(EchoBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, "variant", ServerVariant.LT.name(), ServerVariant.ET.name());
            defaultParam(options, user, "clients", "50");
            defaultParam(options, user, "payload", "512");
            defaultParam(options, user, "serverArgs", TUNING_KNOBS);
        } else if (user.getIncludes().isEmpty()) {
            options.include(EchoBenchmark.class.getSimpleName())
                    .include(IdleConnectionsBenchmark.class.getSimpleName())
                    .include(BulkStreamBenchmark.class.getSimpleName());
        }
        if (!tuning) {
            defaultParam(options, user, "variant", ServerVariant.names().toArray(String[]::new));
            if (full) {
                defaultParam(options, user, "clients", "1", "50", "1000");
                defaultParam(options, user, "payload", "64", "512", "16384");
                defaultParam(options, user, "idle", "0", "1000", "10000");
            } else {
                defaultParam(options, user, "clients", "1", "50");
                defaultParam(options, user, "payload", "512");
                defaultParam(options, user, "idle", "0", "10000");
            }
        }
        if (!user.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!user.getWarmupIterations().hasValue()) {
            options.warmupIterations(full ? 2 : 1);
        }
        if (!user.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(full ? 3 : 2));
        }
        if (!user.getMeasurementIterations().hasValue()) {
            options.measurementIterations(full ? 5 : 2);
        }
        if (!user.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(full ? 4 : 2));
        }
        if (!user.getResult().hasValue()) {
            options.result(results.toString());
        }
        if (!user.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON);
        }

        String noPerf = PerfStat.availability();
        System.out.println("[lab] " + (tuning ? "tuning" : full ? "full" : "quick") + " run; server JVMs: see the serverJvm parameter; "
                + (noPerf == null ? "syscalls counted with perf" : "no syscall counts: " + noPerf));
        Collection<RunResult> run = new Runner(options.build()).run();
        System.out.println();
        System.out.println(ResultsTable.markdown(run));
        System.out.println("[lab] JMH results: " + (user.getResult().hasValue() ? user.getResult().get() : results));
    }

    private static void defaultParam(ChainedOptionsBuilder options, CommandLineOptions user, String name,
                                     String... values) {
        if (!user.getParameter(name).hasValue()) {
            options.param(name, values);
        }
    }

    /**
     * {@code exec:java} runs us inside Maven's JVM, whose {@code java.class.path} is Maven's own launcher. JMH
     * builds its forked JVMs' class path from that property, so point it at the classes and jars Maven loaded
     * the project from.
     */
    private static void useProjectClasspathInForks() throws URISyntaxException {
        ClassLoader loader = LabBenchmarks.class.getClassLoader();
        if (!(loader instanceof URLClassLoader)) {
            return; // Plain `java -cp ...`: the property is already right.
        }
        List<String> entries = new ArrayList<>();
        for (URL url : ((URLClassLoader) loader).getURLs()) {
            entries.add(Path.of(url.toURI()).toString());
        }
        System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
}
