package lab.epoll.jmh;

import lab.epoll.catalog.TrialParam;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import lab.epoll.jmh.bench.ChurnBenchmark;
import lab.epoll.jmh.bench.EchoBenchmark;
import lab.epoll.jmh.bench.ExerciseBenchmark;
import lab.epoll.jmh.bench.IdleConnectionsBenchmark;
import lab.epoll.jmh.bench.NewcomerBenchmark;
import lab.epoll.jmh.bench.OpenLoopBenchmark;
import lab.epoll.jmh.compare.PairedComparison;
import lab.epoll.jmh.compare.Precision;
import lab.epoll.jmh.profile.FlameGraphs;
import lab.epoll.jmh.metrics.LatencyLog;
import lab.epoll.jmh.metrics.LatencyMerge;
import lab.epoll.jmh.metrics.PerfStat;
import lab.epoll.jmh.metrics.ServerMetricsProfiler;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code mvn -pl jmh exec:java [-Dexec.args="..."]}: runs the comparison of every variant and prints a Markdown
 * table; JMH's JSON goes to {@code jmh/target/results.json}.
 *
 * <p>Arguments: {@code --quick} (the default: under 10 minutes), {@code --full} (the whole matrix),
 * {@code --tuning} (one server option at a time, into {@code jmh/target/tuning.json}), {@code --transports}
 * (epoll against io_uring on both Netty lines, over connection counts, into {@code jmh/target/transports.json}),
 * {@code --compare A,B}
 * (paired trials, ratios with intervals: {@link PairedComparison}), and any of JMH's own options, which win over
 * the defaults: a benchmark regex, {@code -p clients=1000}, {@code -f 3}, {@code -i 10}, {@code -prof ...},
 * {@code -rff other.json}. Every trial runs the server and the client on disjoint CPUs ({@link CpuSet}).
 *
 * <p>{@code --report [path/to/results.json]} runs no benchmark: the report has its own module now, and this only
 * says so, with the command to run instead ({@code mvn -pl report exec:java}), and exits 2.
 */
public final class LabBenchmarks {
    /** The server options the tuning run turns, one per trial; "" is the untuned baseline. */
    static final String[] TUNING_KNOBS = {"", Name.NO_TCP_NODELAY, Name.TCP_QUICKACK,
        ServerOption.MAX_EVENTS.with("8"), ServerOption.BUSY_POLL.with("50us"), ServerOption.ALLOCATOR.with("unpooled"),
        ServerOption.LISTENERS.with("2"), ServerOption.MAX_MESSAGES_PER_READ.with("1"),
        ServerOption.RECV_ALLOCATOR.with("fixed:64k")};
    /**
     * The transport sweep: the JDK's selector, epoll and io_uring on both Netty lines, over the connection counts
     * where published io_uring results part ways (none at 1 connection, gains claimed at 300-500), with Netty's
     * 2020 announcement's 128-byte messages.
     */
    static final List<ServerVariant> TRANSPORT_VARIANTS = List.of(ServerVariant.NIO_EPOLL, ServerVariant.ET,
            ServerVariant.EPOLL_4_2, ServerVariant.URING, ServerVariant.URING_4_2);
    static final String[] TRANSPORT_CLIENTS = {"1", "10", "100", "300", "500", "1000"};
    /**
     * The latency-vs-load sweep: the exercise's two modes under Netty, the kernel ONESHOT engine, the poll(2)
     * baseline and io_uring on both Netty lines, each at offered rates from well below to beyond what one server CPU echoes
     * (about 100,000-150,000 64-byte echoes/s at 50 clients here).
     */
    static final List<ServerVariant> CURVE_VARIANTS = List.of(ServerVariant.LT, ServerVariant.ET,
            ServerVariant.ONESHOT_KERNEL, ServerVariant.NIO_POLL, ServerVariant.URING, ServerVariant.URING_4_2);
    static final String[] CURVE_RATES = {"10000", "30000", "60000", "90000", "120000", "150000"};
    /** The newcomer sweep: from a lightly loaded server to ten thousand busy connections, 200 new ones a second. */
    static final String[] NEWCOMER_BUSY = {"50", "2000", "10000"};
    static final String[] NEWCOMER_RATES = {"200"};
    /**
     * The churn sweep: raw-server's four accept strategies, the kernel ONESHOT engine's one shared epoll set and
     * Netty's event loops (one listener on one loop, handing connections round), on 1, 2, 4 and 8 threads, with new
     * connections arriving one at a time and in bursts of 100, 1,000 a second.
     */
    static final List<ServerVariant> CHURN_VARIANTS = List.of(ServerVariant.RAW_HERD, ServerVariant.RAW_EXCLUSIVE,
            ServerVariant.RAW_REUSEPORT, ServerVariant.RAW_ACCEPTOR, ServerVariant.ONESHOT_KERNEL, ServerVariant.ET);
    static final String[] CHURN_THREADS = {"1", "2", "4", "8"};
    static final String[] CHURN_BURSTS = {"1", "100"};

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
        int merge = Arrays.asList(args).indexOf("--merge-latencies");
        if (merge >= 0) {
            // Reads logs of finished runs, from this host or others; starts nothing.
            List<Path> logs = Arrays.stream(args, merge + 1, args.length).map(Path::of).toList();
            try {
                System.out.print(LatencyMerge.table(logs));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                usageError(e.getMessage());
            }
            return;
        }
        List<String> jmhArgs = new ArrayList<>(Arrays.asList(args));
        boolean full = jmhArgs.remove("--full");
        boolean tuning = jmhArgs.remove("--tuning");
        boolean transports = jmhArgs.remove("--transports");
        boolean exercise = jmhArgs.remove("--exercise");
        boolean curve = jmhArgs.remove("--curve");
        boolean newcomers = jmhArgs.remove("--newcomers");
        boolean churn = jmhArgs.remove("--churn");
        jmhArgs.remove("--quick");
        boolean jmhLog = jmhArgs.remove("--jmh-log");
        if (jmhArgs.remove("--no-perf")) {
            // Here for the [lab] line and the comparison's name, and passed on to every fork below.
            System.setProperty(PerfStat.PROPERTY, "false");
        }
        String compare;
        String profile;
        int pairs;
        Precision precision;
        try {
            String latencyLog = takeValue(jmhArgs, "--latency-log");
            if (latencyLog != null) {
                // Passed on to every fork below, as an absolute path: a fork's working directory may differ.
                System.setProperty(LatencyLog.PROPERTY, Path.of(latencyLog).toAbsolutePath().toString());
            }
            compare = takeValue(jmhArgs, "--compare");
            profile = takeValue(jmhArgs, "--profile");
            String pairsText = takeValue(jmhArgs, "--pairs");
            String precisionText = takeValue(jmhArgs, "--precision");
            precision = precisionText == null ? null : Precision.parse(precisionText);
            pairs = pairsText != null ? Integer.parseInt(pairsText)
                    : precision != null ? Precision.DEFAULT_PAIR_LIMIT : PairedComparison.DEFAULT_PAIRS;
            if (pairs < 2 || pairs > 100) {
                throw new IllegalArgumentException("--pairs must be 2..100, not " + pairs);
            }
        } catch (NumberFormatException e) {
            usageError("--pairs takes a number of pairs, e.g. --pairs 5");
            return;
        } catch (IllegalArgumentException e) {
            usageError(e.getMessage());
            return;
        }
        if (jmhArgs.contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        CommandLineOptions user;
        try {
            user = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            usageError(e.getMessage());
            return;
        }
        if (user.shouldHelp()) {
            System.out.println(USAGE);
            System.out.println();
            user.showHelp();
            return;
        }
        if (user.shouldList()) {
            new Runner(user).list();
            return;
        }
        if (user.shouldListWithParams()) {
            new Runner(user).listWithParams(user);
            return;
        }
        if (user.shouldListProfilers()) {
            user.listProfilers();
            return;
        }
        if (user.shouldListResultFormats()) {
            user.listResultFormats();
            return;
        }
        useProjectClasspathInForks();

        CpuSet[] layout = CpuSet.defaultServerAndClient(Runtime.getRuntime().availableProcessors());
        String noPerf = PerfStat.availability();
        String perfLine = noPerf == null ? "syscalls counted with perf" : "no syscall counts: " + noPerf;
        if (compare != null) {
            // Two variants (lt,et), or two values of one parameter for one variant (idleTimeout=0,60s -p variant=et).
            int equals = compare.indexOf('=');
            String param = equals < 0 ? TrialParam.VARIANT.field() : compare.substring(0, equals);
            List<String> variants = Arrays.asList(compare.substring(equals + 1).split(","));
            if (variants.size() != 2 || variants.get(0).equals(variants.get(1))) {
                usageError("--compare takes two different variants, e.g. --compare lt,et, or two values of one"
                        + " parameter, e.g. --compare idleTimeout=0,60s -p variant=et");
                return;
            }
            if (equals < 0) {
                String unknown = unknownVariant("--compare", variants);
                if (unknown != null) {
                    usageError(unknown);
                    return;
                }
            } else if (!user.getParameter(TrialParam.VARIANT.field()).hasValue()
                    || user.getParameter(TrialParam.VARIANT.field()).get().size() != 1) {
                usageError("--compare " + compare + " compares one variant with itself: add -p variant=NAME");
                return;
            }
            ChainedOptionsBuilder options = baseOptions(user, layout);
            if (exercise) {
                // The exercise's burst as the scenario: each trial one warm-up burst and five measured ones.
                if (user.getIncludes().isEmpty()) {
                    options.include(ExerciseBenchmark.class.getSimpleName() + "\\.");
                }
                defaultIterations(options, user, 1, 1, 5, 1);
            } else if (newcomers) {
                if (user.getIncludes().isEmpty()) {
                    options.include(NewcomerBenchmark.class.getSimpleName() + "\\.");
                }
                defaultParam(options, user, "busy", "2000");
                defaultParam(options, user, "rate", NEWCOMER_RATES);
                defaultIterations(options, user, 1, 5, 2, 5);
            } else if (churn) {
                if (user.getIncludes().isEmpty()) {
                    options.include(ChurnBenchmark.class.getSimpleName() + "\\.");
                }
                defaultParam(options, user, "servingThreads", "4");
                defaultIterations(options, user, 1, 2, 2, 3);
            } else {
                if (user.getIncludes().isEmpty()) {
                    options.include(EchoBenchmark.class.getSimpleName() + "\\.");
                }
                defaultParam(options, user, "clients", "50");
                defaultParam(options, user, "payload", "512");
                defaultIterations(options, user, 1, 3, 3, 2);
            }
            System.out.println("[lab] compare " + (equals < 0 ? "" : param + "=") + variants.get(0) + " and "
                    + variants.get(1) + ", " + (precision == null ? pairs + " pairs" : "pairs until "
                    + precision.asked() + " on echoes/s and server CPU per echo, at most " + pairs) + "; " + perfLine);
            Path out = LabPaths.root().resolve("jmh/target/compare");
            try {
                PairedComparison.run(options, param, variants.get(0), variants.get(1), pairs, precision, out);
            } catch (IllegalArgumentException e) {
                usageError(e.getMessage());
                return;
            }
            return;
        }

        if (profile != null) {
            // perf's syscall tracing would show up in the graphs as CPU the servers do not spend on their own.
            System.setProperty(PerfStat.PROPERTY, "false");
            String profilePerfLine = "no syscall counting while profiling";
            List<String> variants = profile.equals("all") ? ServerVariant.names() : Arrays.asList(profile.split(","));
            String unknown = unknownVariant("--profile", variants);
            if (unknown != null) {
                usageError(unknown + ", or all");
                return;
            }
            ChainedOptionsBuilder options = baseOptions(user, layout);
            if (user.getIncludes().isEmpty()) {
                options.include(EchoBenchmark.class.getSimpleName() + "\\.");
            }
            String clients = defaultParam(options, user, "clients", "50");
            String payload = defaultParam(options, user, "payload", "512");
            defaultIterations(options, user, 1, 2, 3, 2);
            System.out.println("[lab] flame graphs of " + String.join(", ", variants) + "; " + profilePerfLine);
            FlameGraphs.run(options, variants, "echo-clients" + clients + "-payload" + payload,
                    LabPaths.root().resolve("jmh/target/flame"));
            return;
        }

        Path results = LabPaths.root().resolve(tuning ? "jmh/target/tuning.json"
                : transports ? "jmh/target/transports.json"
                : exercise ? "jmh/target/" + LabPaths.EXERCISE_RESULTS
                : curve ? "jmh/target/" + LabPaths.CURVE_RESULTS
                : newcomers ? "jmh/target/" + LabPaths.NEWCOMER_RESULTS
                : churn ? "jmh/target/" + LabPaths.CHURN_RESULTS : "jmh/target/results.json");
        Files.createDirectories(results.getParent());
        ChainedOptionsBuilder options = baseOptions(user, layout);
        if (tuning) {
            if (user.getIncludes().isEmpty()) {
                options.include(EchoBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), ServerVariant.LT.name(), ServerVariant.ET.name());
            defaultParam(options, user, "clients", "50");
            defaultParam(options, user, "payload", "512");
            defaultParam(options, user, TrialParam.SERVER_ARGS.field(), TUNING_KNOBS);
        } else if (transports) {
            if (user.getIncludes().isEmpty()) {
                options.include(EchoBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(TRANSPORT_VARIANTS));
            defaultParam(options, user, "clients", TRANSPORT_CLIENTS);
            defaultParam(options, user, "payload", "128");
        } else if (exercise) {
            if (user.getIncludes().isEmpty()) {
                options.include(ExerciseBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(ServerVariant.all()));
        } else if (curve) {
            if (user.getIncludes().isEmpty()) {
                options.include(OpenLoopBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(CURVE_VARIANTS));
            defaultParam(options, user, "rate", CURVE_RATES);
            defaultParam(options, user, "clients", "50");
            defaultParam(options, user, "payload", "64");
        } else if (newcomers) {
            if (user.getIncludes().isEmpty()) {
                options.include(NewcomerBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(ServerVariant.all()));
            defaultParam(options, user, "busy", NEWCOMER_BUSY);
            defaultParam(options, user, "rate", NEWCOMER_RATES);
        } else if (churn) {
            if (user.getIncludes().isEmpty()) {
                options.include(ChurnBenchmark.class.getSimpleName());
            }
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(CHURN_VARIANTS));
            defaultParam(options, user, "servingThreads", CHURN_THREADS);
            defaultParam(options, user, "burst", CHURN_BURSTS);
        } else if (user.getIncludes().isEmpty()) {
            options.include(EchoBenchmark.class.getSimpleName())
                    .include(IdleConnectionsBenchmark.class.getSimpleName());
            if (full) {
                // Not in the quick run, which must stay under 10 minutes: its 12 trials took 2-3 of them.
                options.include(BulkStreamBenchmark.class.getSimpleName());
            }
        }
        if (!tuning && !transports && !exercise && !curve && !newcomers && !churn) {
            defaultParam(options, user, TrialParam.VARIANT.field(), runnable(ServerVariant.all()));
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
        // Five measured iterations: JMH's 99.9% margin uses Student's t, 31.6 with three iterations and 8.6 with
        // five, so three would print margins wider than the scores.
        if (curve) {
            // The open loop's client spins on its CPU and its JIT must settle before the schedule is exact.
            defaultIterations(options, user, 2, 3, 3, 3);
        } else if (newcomers) {
            // Waits of seconds need windows of seconds; the warmup lets the server take in its busy connections.
            defaultIterations(options, user, 1, 5, 3, 5);
        } else if (churn) {
            // Counts and shares settle within seconds; three windows give JMH's interval something to go on.
            defaultIterations(options, user, 1, 2, 3, 3);
        } else if (exercise) {
            // Each iteration is one burst of 100,000 requests (single shot): one to warm up, five measured.
            defaultIterations(options, user, 1, 1, 5, 1);
        } else if (full) {
            defaultIterations(options, user, 2, 3, 5, 3);
        } else {
            defaultIterations(options, user, 1, 2, 5, 1);
        }
        if (!user.getResult().hasValue()) {
            options.result(results.toString());
        }
        if (!user.getResultFormat().hasValue()) {
            options.resultFormat(ResultFormatType.JSON);
        }

        boolean chosen = !user.getIncludes().isEmpty() || !user.getParameter(TrialParam.VARIANT.field()).orElse(List.of()).isEmpty();
        String run = tuning ? "tuning run" : transports ? "transport sweep" : exercise ? "exercise's benchmark" : curve ? "latency-vs-load sweep" : newcomers ? "newcomer sweep" : churn ? "churn sweep" : full ? "full run" : chosen ? "run of the chosen benchmarks" : "quick run";
        System.out.println("[lab] " + run + "; server on CPUs " + shown(user, TrialParam.SERVER_CPUS.field(), layout[0])
                + ", client on CPUs " + shown(user, TrialParam.CLIENT_CPUS.field(), layout[1]) + "; server JVMs: see the serverJvm"
                + " parameter; " + perfLine);
        Path logFile = results.resolveSibling("jmh.log");
        Collection<RunResult> runResults;
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            Options built = options.build();
            Runner runner = jmhLog ? new Runner(built) : new Runner(built, new CompactOutput(
                    OutputFormatFactory.createFormatInstance(log, built.verbosity().orElse(VerboseMode.NORMAL)),
                    System.out));
            if (!jmhLog) {
                System.out.println("[lab] one line per trial; JMH's full log: " + logFile);
            }
            runResults = runner.run();
        } catch (RunnerException e) {
            System.err.println("[lab] the run stopped: " + rootMessage(e) + (jmhLog ? "" : "; JMH's log: " + logFile));
            System.exit(1);
            return;
        }
        System.out.println();
        System.out.println(ResultsTable.console(runResults));
        Path json = Path.of(user.getResult().hasValue() ? user.getResult().get() : results.toString());
        Path table = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".md");
        try {
            Files.writeString(table, ResultsTable.full(runResults));
        } catch (IOException e) {
            System.err.println("[lab] cannot write " + table + ": " + e.getMessage());
        }
        System.out.println("[lab] JMH results: " + json + "; every metric, as a table: " + table);
    }

    static final String USAGE = "usage: mvn -pl jmh exec:java -Dexec.args=\"[--quick|--full|--tuning] [JMH options]\"\n"
            + "       mvn -pl jmh exec:java -Dexec.args=\"--compare A,B [--pairs N] [JMH options]\"\n"
            + "       java -jar jmh/target/benchmarks.jar [the same arguments]\n"
            + "  --quick   the default: every variant, echo and idle connections, fewer parameters, short iterations\n"
            + "  --full    every variant over the whole parameter matrix, bulk streaming too\n"
            + "  --tuning  one server option at a time on lt and et (50 clients, 512 B), into tuning.json\n"
            + "  --transports  NIO, epoll and io_uring on Netty 4.1 and 4.2 over 1-1000 clients × 128 B,\n"
            + "            into transports.json\n"
            + "  --exercise  the epoll exercise's own benchmark on every variant: 10,000 connections x 10\n"
            + "            requests, connection setup included, five bursts each, into exercise.json; with\n"
            + "            --compare, the scenario of the paired trials\n"
            + "  --curve   latency at offered rates of 10,000-150,000/s (open loop, 50 clients x 64 B) for lt, et,\n"
            + "            oneshot-kernel, nio-poll, uring and uring-4.2, into curve.json (add --no-perf: latency is\n"
            + "            the point)\n"
            + "  --newcomers  who gets served when the server is busy: 50, 2,000 and 10,000 busy connections\n"
            + "            (closed loop, 64 B) while 200 new ones a second each send one request; every variant, into\n"
            + "            newcomers.json; with --compare, the scenario of the paired trials (2,000 busy)\n"
            + "  --churn   how threads share new connections: raw-server's accept strategies (raw-herd,\n"
            + "            raw-exclusive, raw-reuseport, raw-acceptor), oneshot-kernel (one shared epoll set) and et\n"
            + "            (Netty) on 1, 2, 4 and 8 threads (-p servingThreads=N), 1,000 new connections a second, one at a time\n"
            + "            and in bursts of 100 (-p burst=N), into churn.json; -p reuseport=true gives Netty a listener\n"
            + "            per event loop; with --compare, the scenario of the paired trials (4 threads)\n"
            + "  --compare A,B  paired trials A B, B A, ... (each a fresh server) and the ratio B/A of each metric\n"
            + "            with a 95% interval; one scenario (default EchoBenchmark, 50 clients, 512 B). A,B are two\n"
            + "            variants, or two values of one parameter with one variant: idleTimeout=0,60s -p variant=et\n"
            + "  --profile A,B|all  one trial per variant under async-profiler (default EchoBenchmark, 50 clients,\n"
            + "            512 B): a flame graph each and where the CPU went, into jmh/target/flame\n"
            + "  --pairs N pairs for --compare (default " + PairedComparison.DEFAULT_PAIRS + "; with --precision, the limit,\n"
            + "            default " + Precision.DEFAULT_PAIR_LIMIT + ")\n"
            + "  --precision P  for --compare: pairs until the 95% intervals of echoes/s and server CPU per echo\n"
            + "            are within P either side of the ratio (e.g. 3% or 0.03; at least 3 pairs), or says the\n"
            + "            machine was too noisy\n"
            + "  --no-perf no syscall counts: perf's tracing slows every syscall of the server, so variants that\n"
            + "            make fewer syscalls per echo (io_uring) gain from it; compare CPU and throughput without\n"
            + "  --jmh-log JMH's full output on the console (by default one line per trial; the log goes to\n"
            + "            jmh/target/jmh.log)\n"
            + "Server and client run on disjoint CPUs: -p serverCpus=LIST -p clientCpus=LIST (taskset syntax, or\n"
            + "'all' for no pinning; default on this machine: the upper half for the server, the rest for the client).\n"
            + "  --latency-log DIR  each trial's round trips per measured iteration into DIR/HOST-PID-TRIAL.hlog\n"
            + "            (HdrHistogram's interval log), to merge the loads of several processes or hosts\n"
            + "  --merge-latencies FILE...  one line per log and their merge: every round trip of every load in\n"
            + "            one histogram (the only correct way to combine percentiles); runs nothing\n"
            + "-p clientLoops=N drives the connections from N client event loops (default 1), their histograms\n"
            + "merged per iteration: for a server one client loop cannot saturate, on a host with the cores.\n"
            + "-p serverNetns=NAME@ADDR starts each server in network namespace NAME on ADDR; run the harness in\n"
            + "the other namespace (ip netns exec ...) to measure over a veth pair (tools/two-namespaces/netns.sh).\n"
            + "-p target=HOST:PORT measures a server the harness did not start (client-side metrics only);\n"
            + "-p targetMetrics=HOST:PORT adds its CPU per echo, cores, RSS and threads from its " + Name.METRICS_PORT + ".\n"
            + "-p idleTimeout=60s runs the servers with an idle timeout (default 0: none, as some scenarios hold\n"
            + "idle connections); -p serverArgs=\"...\" adds server options, e.g. a tuning knob.\n"
            + "JMH's options (a benchmark regex, -p clients=1000, -f 2, -i 5, -prof ...) override the defaults;\n"
            + "-l lists the benchmarks, -lp with their parameters, -h JMH's help.";

    /** What every run shares: one thread, fail on error, the profiler, the default CPU layout. */
    /**
     * The names of {@code variants} this machine can run: a variant that needs a newer Java than it has (virtual
     * threads) is left out, with one line saying so, and the rest run.
     */
    static String[] runnable(List<ServerVariant> variants) {
        return JavaRuntime.runnable(variants, why -> System.out.println("[lab] skipping " + why)).stream()
                .map(ServerVariant::name).toArray(String[]::new);
    }

    private static ChainedOptionsBuilder baseOptions(CommandLineOptions user, CpuSet[] layout) {
        List<String> forkArgs = new ArrayList<>(List.of("-Dlab.root=" + LabPaths.root(),
                "-D" + PerfStat.PROPERTY + "=" + System.getProperty(PerfStat.PROPERTY, "perf"), "-Xms1g", "-Xmx1g",
                "-Dio.netty.leakDetection.level=disabled"));
        if (System.getProperty(LatencyLog.PROPERTY) != null) {
            forkArgs.add("-D" + LatencyLog.PROPERTY + "=" + System.getProperty(LatencyLog.PROPERTY));
        }
        // JMH lets these replace the user's -jvmArgsAppend instead of adding to it; the user's come last and win.
        if (user.getJvmArgsAppend().hasValue()) {
            forkArgs.addAll(user.getJvmArgsAppend().get());
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(user)
                .threads(1)
                .shouldFailOnError(true)
                .jvmArgsAppend(forkArgs.toArray(String[]::new))
                .addProfiler(ServerMetricsProfiler.class);
        defaultParam(options, user, TrialParam.SERVER_CPUS.field(), layout[0].text());
        defaultParam(options, user, TrialParam.CLIENT_CPUS.field(), layout[1].text());
        if (!user.getForkCount().hasValue()) {
            options.forks(1);
        }
        return options;
    }

    private static void defaultIterations(ChainedOptionsBuilder options, CommandLineOptions user, int warmups,
                                          int warmupSeconds, int iterations, int iterationSeconds) {
        if (!user.getWarmupIterations().hasValue()) {
            options.warmupIterations(warmups);
        }
        if (!user.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(warmupSeconds));
        }
        if (!user.getMeasurementIterations().hasValue()) {
            options.measurementIterations(iterations);
        }
        if (!user.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(iterationSeconds));
        }
    }

    private static String shown(CommandLineOptions user, String param, CpuSet fallback) {
        return user.getParameter(param).hasValue() ? String.join("|", user.getParameter(param).get())
                : fallback.text();
    }

    /**
     * Null when every name is a variant, else the usage error for the first that is not, e.g.
     * {@code --compare: no variant 'x'; known: [...]}.
     */
    private static String unknownVariant(String flag, List<String> names) {
        return names.stream().filter(name -> !ServerVariant.names().contains(name)).findFirst()
                .map(name -> flag + ": no variant '" + name + "'; known: " + ServerVariant.names()).orElse(null);
    }

    /** Removes {@code name VALUE} from the arguments and returns VALUE, or null when absent. */
    private static String takeValue(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0) {
            return null;
        }
        if (at + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args.get(at + 1);
        args.subList(at, at + 2).clear();
        return value;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** One line and exit code 2, for a mistake on the command line. */
    private static void usageError(String message) {
        System.err.println("jmh: " + message + " (see --help)");
        System.exit(2);
    }

    /** Sets {@code name} to {@code values} unless the user gave it; returns the value(s) in force, joined by commas. */
    private static String defaultParam(ChainedOptionsBuilder options, CommandLineOptions user, String name,
                                       String... values) {
        if (user.getParameter(name).hasValue()) {
            return String.join(",", user.getParameter(name).get());
        }
        options.param(name, values);
        return String.join(",", values);
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
