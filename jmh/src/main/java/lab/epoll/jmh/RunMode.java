package lab.epoll.jmh;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.bench.BulkStreamBenchmark;
import lab.epoll.jmh.bench.ChurnBenchmark;
import lab.epoll.jmh.bench.EchoBenchmark;
import lab.epoll.jmh.bench.ExerciseBenchmark;
import lab.epoll.jmh.bench.IdleConnectionsBenchmark;
import lab.epoll.jmh.bench.NewcomerBenchmark;
import lab.epoll.jmh.bench.OpenLoopBenchmark;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The harness's runs, one value each ({@code --quick}, {@code --tuning}, {@code --curve}, ...): what a run
 * measures by default, where its results go and what the console calls it. The user's JMH options win over every
 * default: a benchmark regex over the benchmarks, {@code -p NAME=...} over a parameter, {@code -wi}, {@code -w},
 * {@code -i}, {@code -r} over the iterations, {@code -rff} over the results file. A run with a paired scenario is
 * also a scenario of {@code --compare} ({@code --compare lt,et --newcomers}).
 */
public enum RunMode {
    // Five measured iterations: JMH's 99.9% margin uses Student's t, 31.6 with three iterations and 8.6 with
    // five, so three would print margins wider than the scores.
    QUICK(
            "quick run",
            "Every variant on echo and idle connections, fewer parameters and short iterations: under"
                    + " 10 minutes. The default.",
            "results.json",
            ServerVariant.all(),
            new Scenario(
                    List.of(EchoBenchmark.class, IdleConnectionsBenchmark.class),
                    List.of(Param.of("clients", "1", "50"), Param.of("payload", "512"), Param.of("idle", "0", "10000")),
                    new Iterations(1, 2, 5, 1)),
            null),
    FULL(
            "full run",
            "Every variant over the whole parameter matrix, bulk streaming too.",
            "results.json",
            ServerVariant.all(),
            // Bulk streaming is not in the quick run, which must stay under 10 minutes: its 12 trials took 2-3.
            new Scenario(
                    List.of(EchoBenchmark.class, IdleConnectionsBenchmark.class, BulkStreamBenchmark.class),
                    List.of(
                            Param.of("clients", "1", "50", "1000"),
                            Param.of("payload", "64", "512", "16384"),
                            Param.of("idle", "0", "1000", "10000")),
                    new Iterations(2, 3, 5, 3)),
            null),
    TUNING(
            "tuning run",
            "One server option at a time on lt and et, each against the untuned server (the empty serverArgs).",
            "tuning.json",
            List.of(ServerVariant.LT, ServerVariant.ET),
            new Scenario(
                    List.of(EchoBenchmark.class),
                    List.of(
                            Param.of("clients", "50"),
                            Param.of("payload", "512"),
                            Param.of(
                                    TrialParam.SERVER_ARGS.field(),
                                    "",
                                    Name.NO_TCP_NODELAY,
                                    Name.TCP_QUICKACK,
                                    ServerOption.MAX_EVENTS.with("8"),
                                    ServerOption.BUSY_POLL.with("50us"),
                                    ServerOption.ALLOCATOR.with("unpooled"),
                                    ServerOption.LISTENERS.with("2"),
                                    ServerOption.MAX_MESSAGES_PER_READ.with("1"),
                                    ServerOption.RECV_ALLOCATOR.with("fixed:64k"))),
                    new Iterations(1, 2, 5, 1)),
            null),
    /*
     * The JDK's selector, epoll and io_uring on both Netty lines, over the connection counts where published
     * io_uring results part ways (none at 1 connection, gains claimed at 300-500), with Netty's 2020
     * announcement's 128-byte messages.
     */
    TRANSPORTS(
            "transport sweep",
            "The JDK's selector, epoll and io_uring on Netty 4.1 and 4.2, over the"
                    + " connection counts where published io_uring results part ways.",
            "transports.json",
            List.of(
                    ServerVariant.NIO_EPOLL,
                    ServerVariant.ET,
                    ServerVariant.EPOLL_4_2,
                    ServerVariant.URING,
                    ServerVariant.URING_4_2),
            new Scenario(
                    List.of(EchoBenchmark.class),
                    List.of(Param.of("clients", "1", "10", "100", "300", "500", "1000"), Param.of("payload", "128")),
                    new Iterations(1, 2, 5, 1)),
            null),
    // Each iteration is one burst of 100,000 requests (single shot): one to warm up, five measured.
    EXERCISE(
            "exercise's benchmark",
            "The epoll exercise's own benchmark on every variant: 10,000 connections x 10"
                    + " requests each, connection setup included, one burst per iteration.",
            LabPaths.EXERCISE_RESULTS,
            ServerVariant.all(),
            new Scenario(List.of(ExerciseBenchmark.class), List.of(), new Iterations(1, 1, 5, 1)),
            new Scenario(List.of(ExerciseBenchmark.class), List.of(), new Iterations(1, 1, 5, 1))),
    /*
     * The exercise's two modes under Netty, the kernel ONESHOT engine, the poll(2) baseline and io_uring on both
     * Netty lines, each at offered rates from well below to beyond what one server CPU echoes (about
     * 100,000-150,000 64-byte echoes/s at 50 clients here). The open loop's client spins on its CPU and its JIT
     * must settle before the schedule is exact: two warmups.
     */
    CURVE(
            "latency-vs-load sweep",
            "Latency at offered rates from well below to beyond what one server CPU echoes"
                    + " (an open loop); add --no-perf, since latency is the point and perf taxes every syscall.",
            LabPaths.CURVE_RESULTS,
            List.of(
                    ServerVariant.LT,
                    ServerVariant.ET,
                    ServerVariant.ONESHOT_KERNEL,
                    ServerVariant.NIO_POLL,
                    ServerVariant.URING,
                    ServerVariant.URING_4_2),
            new Scenario(
                    List.of(OpenLoopBenchmark.class),
                    List.of(
                            Param.of("rate", "10000", "30000", "60000", "90000", "120000", "150000"),
                            Param.of("clients", "50"),
                            Param.of("payload", "64")),
                    new Iterations(2, 3, 3, 3)),
            null),
    /*
     * From a lightly loaded server to ten thousand busy connections, 200 new ones a second. Waits of seconds
     * need windows of seconds; the warmup lets the server take in its busy connections.
     */
    NEWCOMERS(
            "newcomer sweep",
            "Who gets served when the server is busy: new connections, each sending one"
                    + " request, while busy connections and a CPU hog saturate the server.",
            LabPaths.NEWCOMER_RESULTS,
            ServerVariant.all(),
            new Scenario(
                    List.of(NewcomerBenchmark.class),
                    List.of(Param.of("busy", "50", "2000", "10000"), Param.of("rate", "200")),
                    new Iterations(1, 5, 3, 5)),
            new Scenario(
                    List.of(NewcomerBenchmark.class),
                    List.of(Param.of("busy", "2000"), Param.of("rate", "200")),
                    new Iterations(1, 5, 2, 5))),
    /*
     * raw-server's four accept strategies, the kernel ONESHOT engine's one shared epoll set and Netty's event
     * loops (one listener on one loop, handing connections round), with new connections arriving one at a time
     * and in bursts of 100, 1,000 a second. Counts and shares settle within seconds; three windows give JMH's
     * interval something to go on.
     */
    CHURN(
            "churn sweep",
            "How threads share new connections: raw-server's accept strategies, oneshot-kernel's one"
                    + " shared epoll set and Netty's event loops (et), arriving one at a time and in bursts;"
                    + " -p reuseport=true gives Netty a listener per event loop.",
            LabPaths.CHURN_RESULTS,
            List.of(
                    ServerVariant.RAW_HERD,
                    ServerVariant.RAW_EXCLUSIVE,
                    ServerVariant.RAW_REUSEPORT,
                    ServerVariant.RAW_ACCEPTOR,
                    ServerVariant.ONESHOT_KERNEL,
                    ServerVariant.ET),
            new Scenario(
                    List.of(ChurnBenchmark.class),
                    List.of(Param.of("servingThreads", "1", "2", "4", "8"), Param.of("burst", "1", "100")),
                    new Iterations(1, 2, 3, 3)),
            new Scenario(
                    List.of(ChurnBenchmark.class),
                    List.of(Param.of("servingThreads", "4")),
                    new Iterations(1, 2, 2, 3)));

    /** What {@code --compare} measures unless a run's paired scenario is named: one closed loop. */
    public static final Scenario PAIRED_ECHO = new Scenario(
            List.of(EchoBenchmark.class),
            List.of(Param.of("clients", "50"), Param.of("payload", "512")),
            new Iterations(1, 3, 3, 2));
    /** What {@code --profile} measures for each variant's flame graph. */
    public static final Scenario PROFILED_ECHO = new Scenario(
            List.of(EchoBenchmark.class),
            List.of(Param.of("clients", "50"), Param.of("payload", "512")),
            new Iterations(1, 2, 3, 2));

    private final String label;
    private final String description;
    private final String resultsFile;
    private final List<ServerVariant> variants;
    private final Scenario sweep;
    private final Scenario paired;

    RunMode(
            String label,
            String description,
            String resultsFile,
            List<ServerVariant> variants,
            Scenario sweep,
            Scenario paired) {
        this.label = label;
        this.description = description;
        this.resultsFile = resultsFile;
        this.variants = variants;
        this.sweep = sweep;
        this.paired = paired;
    }

    /** The command line's word for this run, e.g. {@code --curve}. */
    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT);
    }

    /** What the console's first line calls the run, e.g. {@code latency-vs-load sweep}. */
    public String label() {
        return label;
    }

    /** What the run is for, in a sentence or two, for its --help. */
    public String description() {
        return description;
    }

    /** The JMH JSON's file name in {@code jmh/target/}, e.g. {@code curve.json}. */
    public String resultsFile() {
        return resultsFile;
    }

    /** The variants the run measures unless {@code -p variant=...} names others. */
    public List<ServerVariant> variants() {
        return variants;
    }

    /** The benchmarks, parameters and iterations of the run. */
    public Scenario sweep() {
        return sweep;
    }

    /** The run's scenario as {@code --compare}'s, one value per parameter; null for a run that has none. */
    public Scenario paired() {
        return paired;
    }

    /** The runs that are also scenarios of {@code --compare}, in order. */
    public static List<RunMode> pairedScenarios() {
        return Arrays.stream(values()).filter(mode -> mode.paired != null).toList();
    }

    /**
     * What a trial measures by default: the benchmarks (when the user names none), the parameters (each unless
     * the user sets it) and the iterations (each count and time unless the user sets it).
     */
    public record Scenario(List<Class<?>> benchmarks, List<Param> params, Iterations iterations) {
        public Scenario {
            benchmarks = List.copyOf(benchmarks);
            params = List.copyOf(params);
        }

        public void applyTo(ChainedOptionsBuilder options, CommandLineOptions user) {
            if (user.getIncludes().isEmpty()) {
                // The class name and a dot: a benchmark's name is package.Class.method.
                benchmarks.forEach(benchmark -> options.include(benchmark.getSimpleName() + "\\."));
            }
            params.forEach(param -> param.applyTo(options, user));
            iterations.applyTo(options, user);
        }

        /** The value(s) of parameter {@code name} in force, joined by commas: the user's, else the default. */
        public String inForce(String name, CommandLineOptions user) {
            if (user.getParameter(name).hasValue()) {
                return String.join(",", user.getParameter(name).get());
            }
            return params.stream()
                    .filter(param -> param.name().equals(name))
                    .findFirst()
                    .map(param -> String.join(",", param.values()))
                    .orElse("");
        }

        /** The benchmark names, as a regex the user would type for them: {@code EchoBenchmark}. */
        public String shownBenchmarks() {
            return benchmarks.stream().map(Class::getSimpleName).collect(Collectors.joining(" "));
        }

        /** The whole scenario as the JMH options that would set it: {@code EchoBenchmark -p clients=50 ... -i 3}. */
        public String shown() {
            StringBuilder text = new StringBuilder(shownBenchmarks());
            params.forEach(param -> text.append(' ').append(param.shown()));
            return text.append(' ').append(iterations.shown()).toString();
        }
    }

    /** One JMH parameter and its default values; the user's {@code -p NAME=...} replaces them all. */
    public record Param(String name, List<String> values) {
        public Param {
            values = List.copyOf(values);
        }

        public static Param of(String name, String... values) {
            return new Param(name, List.of(values));
        }

        /** Sets the default unless the user gave the parameter. */
        public void applyTo(ChainedOptionsBuilder options, CommandLineOptions user) {
            if (!user.getParameter(name).hasValue()) {
                options.param(name, values.toArray(String[]::new));
            }
        }

        /** As the user would override it: {@code -p serverArgs="",--no-tcp-nodelay,"--max-events 8"}. */
        public String shown() {
            return "-p " + name + "="
                    + values.stream()
                            .map(value -> value.isEmpty() || value.contains(" ") ? '"' + value + '"' : value)
                            .collect(Collectors.joining(","));
        }
    }

    /** Warmup and measured iterations, each a count and a time in seconds. */
    public record Iterations(int warmups, int warmupSeconds, int measured, int measuredSeconds) {
        public void applyTo(ChainedOptionsBuilder options, CommandLineOptions user) {
            if (!user.getWarmupIterations().hasValue()) {
                options.warmupIterations(warmups);
            }
            if (!user.getWarmupTime().hasValue()) {
                options.warmupTime(TimeValue.seconds(warmupSeconds));
            }
            if (!user.getMeasurementIterations().hasValue()) {
                options.measurementIterations(measured);
            }
            if (!user.getMeasurementTime().hasValue()) {
                options.measurementTime(TimeValue.seconds(measuredSeconds));
            }
        }

        /** As JMH's options: {@code -wi 1 -w 2s -i 5 -r 1s}. */
        public String shown() {
            return "-wi " + warmups + " -w " + warmupSeconds + "s -i " + measured + " -r " + measuredSeconds + "s";
        }
    }
}
