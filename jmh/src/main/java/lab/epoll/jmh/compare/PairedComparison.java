package lab.epoll.jmh.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Numbers;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.TrialSummary;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code --compare A,B}: one scenario, measured as pairs of trials that alternate A B, B A, A B ... so a slow
 * drift of the machine touches both variants alike, each trial in a fresh server process. For each metric the
 * result is the ratio B/A with a 95% interval over the pairs ({@link RatioInterval}); absolute numbers on a
 * shared VM drift by tens of percent between runs, paired ratios far less.
 */
public final class PairedComparison {
    public static final int DEFAULT_PAIRS = 5;
    /** Added to the name of a comparison whose trials ran without perf counting syscalls. */
    static final String NO_PERF_SUFFIX = "-noperf";

    /** The metrics compared, in the order a reader asks about them. */
    static final List<Metric> COMPARED = List.of(
            Metric.ECHOES,
            Metric.SERVER_CPU_PER_OP,
            Metric.SYSCALLS_TOTAL,
            Metric.EPOLL_WAIT,
            Metric.IO_URING_ENTER,
            Metric.READ,
            Metric.WRITE,
            Metric.EPOLL_CTL,
            Metric.CONTEXT_SWITCHES,
            Metric.SQES_PER_ENTER,
            Metric.IO_WQ_PER_OP,
            Metric.P50,
            Metric.P99,
            Metric.CLIENT_CPU_PER_OP,
            Metric.NEWCOMER_P50,
            Metric.NEWCOMER_P99,
            Metric.NEWCOMER_MAX,
            Metric.NEWCOMERS_UNANSWERED,
            Metric.BUSY_JAIN,
            Metric.LISTEN_BACKLOG,
            Metric.WAITS_PER_S,
            Metric.ACCEPTS_PER_WAIT,
            Metric.ACCEPT_EMPTY_PER_OP,
            Metric.LOOP_SHARE_MAX,
            Metric.LOOP_SHARE_MIN,
            Metric.LOOP_JAIN,
            Metric.RSS_PEAK,
            Metric.THREADS);

    private PairedComparison() {}

    /**
     * Runs {@code pairs} pairs of variants {@code a} and {@code b} under {@code options} (which name one benchmark
     * and one value per parameter), prints the ratios and writes them, with each trial's JMH JSON, under
     * {@code out}.
     */
    public static void run(ChainedOptionsBuilder options, String a, String b, int pairs, Path out)
            throws IOException, RunnerException {
        run(options, TrialParam.VARIANT.field(), a, b, pairs, null, out);
    }

    /**
     * As {@link #run(ChainedOptionsBuilder, String, String, int, Path)}, with the two sides two values of any
     * parameter, e.g. {@code idleTimeout} 0 and 60s for one variant: what one knob costs, paired.
     */
    public static void run(
            ChainedOptionsBuilder options, String param, String a, String b, int pairs, Precision precision, Path out)
            throws IOException, RunnerException {
        Options base = options.build();
        System.out.println("[lab] " + scenario(base) + "; "
                + (precision == null
                        ? 2 * pairs + " trials, " + eta(base, pairs)
                        : "pairs until " + precision.asked() + ", at most " + 2 * pairs + " trials, " + eta(base, pairs)
                                + " at most"));
        boolean variants = param.equals(TrialParam.VARIANT.field());
        Path trialDir = out.resolve(a + "-vs-" + b + ".running");
        Files.createDirectories(trialDir);
        Map<String, List<TrialSummary>> trials = new LinkedHashMap<>();
        trials.put(a, new ArrayList<>());
        trials.put(b, new ArrayList<>());
        List<String> shown = distinguishing(a, b);
        Map<String, String> shownAs = new LinkedHashMap<>();
        shownAs.put(a, shown.get(0));
        shownAs.put(b, shown.get(1));
        int n = 0;
        for (int pair = 0; pair < pairs; pair++) {
            List<String> order = pair % 2 == 0 ? List.of(a, b) : List.of(b, a);
            for (String variant : order) {
                n++;
                Path json = trialDir.resolve(String.format(Locale.ROOT, "%02d-%s.json", n, variant));
                Options trial = new OptionsBuilder()
                        .parent(base)
                        .param(param, variant)
                        .result(json.toString())
                        .resultFormat(ResultFormatType.JSON)
                        .verbosity(VerboseMode.SILENT)
                        .build();
                Collection<RunResult> results = new Runner(trial).run();
                if (results.size() != 1) {
                    throw new IllegalArgumentException("--compare measures one scenario at a time, but the options"
                            + " select " + results.size() + ": give one benchmark and one value per parameter");
                }
                TrialSummary summary = TrialSummary.of(results.iterator().next());
                trials.get(variant).add(summary);
                System.out.println("[lab] pair " + (pair + 1) + "/" + pairs + " " + label(param, variant) + ": "
                        + summary.oneLine());
            }
            if (precision != null && pair >= 1) {
                System.out.println(
                        "[lab] after " + (pair + 1) + " pairs: " + precision.progress(trials.get(a), trials.get(b)));
                if (precision.reached(trials.get(a), trials.get(b))) {
                    break;
                }
            }
        }
        int ran = trials.get(a).size();
        String noisy = "";
        if (precision != null && !precision.reached(trials.get(a), trials.get(b))) {
            noisy = "Not as precise as asked: after " + ran + " pairs, "
                    + precision.progress(trials.get(a), trials.get(b)) + "; the machine was too noisy for "
                    + precision.asked() + " in " + pairs
                    + " pairs, and these intervals are what it gave.\n";
            System.out.println("[lab] " + noisy.strip());
        }
        String labelA = label(param, shown.get(0));
        String labelB = label(param, shown.get(1));
        String table = table(labelA, labelB, trials.get(a), trials.get(b));
        TrialSummary first = trials.get(a).get(0);
        String scenario = first.benchmark() + " " + withoutParam(first.scenario(), param);
        // Without syscall counts the trials ran without perf's tax on every syscall: a different measurement, which
        // must not overwrite (or be mistaken for) the counted one.
        boolean counted = first.value(Metric.SYSCALLS_TOTAL) != null;
        String name = (variants
                        ? name(a, b, first)
                        : name(first.variant() + "-" + param + "-" + shown.get(0), shown.get(1), first, param))
                + (counted ? "" : NO_PERF_SUFFIX);
        Path finalDir = out.resolve(name);
        deleteRecursively(finalDir);
        Files.move(trialDir, finalDir);
        trialDir = finalDir;
        String text = "Paired comparison " + (variants ? "" : first.variant() + " ") + labelB + "/" + labelA + ", "
                + scenario + ", " + ran + " pairs (A B, B A, ...),"
                + (counted ? "" : " without perf (no syscall counts, no tracing tax on the servers' syscalls),")
                + " 95% interval:\n\n" + table + (noisy.isEmpty() ? "" : "\n" + noisy);
        System.out.println();
        System.out.println(text);
        Path markdown = out.resolve(name + ".md");
        Files.writeString(markdown, text);
        System.out.println("[lab] written to " + markdown + "; each trial's JMH JSON in " + trialDir);
    }

    /**
     * The comparison's file name, which PERFORMANCE.md's block for it is named after, e.g.
     * {@code lt-vs-et-echo-clients50-payload512}.
     */
    static String name(String a, String b, TrialSummary trial) {
        return name(a, b, trial, TrialParam.VARIANT.field());
    }

    /** As {@link #name(String, String, TrialSummary)}, leaving the compared parameter out of the scenario. */
    static String name(String a, String b, TrialSummary trial, String param) {
        String benchmark = trial.benchmark()
                .substring(0, trial.benchmark().indexOf('.'))
                .replaceFirst("Benchmark$", "")
                .toLowerCase(Locale.ROOT);
        String scenario = withoutParam(trial.scenario(), param).replace("=", "").replaceAll("[^A-Za-z0-9]+", "-");
        return markerSafe(a) + "-vs-" + markerSafe(b) + "-" + benchmark + (scenario.isEmpty() ? "" : "-" + scenario);
    }

    /**
     * A side as a block name may spell it (PERFORMANCE.md's markers take letters, digits, {@code _ . -}): a
     * compared server flag such as {@code --max-pending-bytes=0} becomes {@code max-pending-bytes-0}.
     */
    private static String markerSafe(String side) {
        return side.replaceAll("[^A-Za-z0-9_.]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * What tells two values apart, for labels and file names: two lists of JVM flags that share their first flags
     * are named by the flags after them, e.g. {@code -Djdk.pollerMode=1} and {@code -Djdk.pollerMode=2}.
     */
    static List<String> distinguishing(String a, String b) {
        String[] x = a.trim().split("\\s+");
        String[] y = b.trim().split("\\s+");
        int common = 0;
        while (common < x.length - 1 && common < y.length - 1 && x[common].equals(y[common])) {
            common++;
        }
        return List.of(
                String.join(" ", Arrays.copyOfRange(x, common, x.length)),
                String.join(" ", Arrays.copyOfRange(y, common, y.length)));
    }

    /** Seconds a trial spends beside its iterations: a server JVM's start and stop, the client's connects. */
    static final int TRIAL_OVERHEAD_SECONDS = 5;
    /** The scenario parameters the up-front line names, where the run sets them. */
    private static final List<String> SCENARIO_PARAMS =
            List.of("clients", "payload", "idle", "busy", "rate", "depth", "connections", "requests");

    /** What the pairs will measure, said before the first trial: the benchmark and its scenario parameters. */
    static String scenario(Options options) {
        StringBuilder s = new StringBuilder("scenario ")
                .append(String.join(",", options.getIncludes()).replace("\\.", ""));
        for (String name : SCENARIO_PARAMS) {
            if (options.getParameter(name).hasValue()) {
                s.append(' ')
                        .append(name)
                        .append('=')
                        .append(String.join("|", options.getParameter(name).get()));
            }
        }
        return s.toString();
    }

    /** How long the pairs will take, from the iteration settings: a plan, said so the user can walk away. */
    static String eta(Options options, int pairs) {
        long trial = options.getWarmupIterations().orElse(0)
                        * seconds(options.getWarmupTime().orElse(null))
                + options.getMeasurementIterations().orElse(0)
                        * seconds(options.getMeasurementTime().orElse(null))
                + TRIAL_OVERHEAD_SECONDS;
        long total = 2L * pairs * trial;
        return "about " + (total >= 120 ? total / 60 + " min" : total + " s") + " (" + trial + " s a trial)";
    }

    private static long seconds(org.openjdk.jmh.runner.options.TimeValue time) {
        return time == null ? 0 : time.convertTo(java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A side's name in tables: the variant, or {@code param=value}. */
    private static String label(String param, String value) {
        return param.equals(TrialParam.VARIANT.field()) ? value : param + "=" + value;
    }

    /** The scenario text without the compared parameter, whose value differs between the sides. */
    private static String withoutParam(String scenario, String param) {
        return java.util.Arrays.stream(scenario.split(" "))
                .filter(part -> !part.startsWith(param + "="))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The comparison table: each metric's mean for A and B, and the ratio B/A with its interval. */
    static String table(String a, String b, List<TrialSummary> as, List<TrialSummary> bs) {
        MarkdownTable table = new MarkdownTable(1, "metric", a, b, b + "/" + a + " [95% CI]", "differs");
        for (Metric metric : COMPARED) {
            List<Double> x = as.stream().map(t -> t.value(metric)).toList();
            List<Double> y = bs.stream().map(t -> t.value(metric)).toList();
            if (java.util.stream.Stream.concat(x.stream(), y.stream()).allMatch(v -> v == null || v == 0)) {
                continue; // a call neither server makes (io_uring_enter on epoll): nothing to compare
            }
            RatioInterval ratio = RatioInterval.of(x, y);
            String meanA = mean(x);
            String meanB = mean(y);
            if (ratio.pairs() > 0) {
                table.row(metric.header(), meanA, meanB, ratio.text(), ratio.excludesOne() ? "yes" : "no");
            } else if (!meanA.equals(Numbers.MISSING) || !meanB.equals(Numbers.MISSING)) {
                // No ratio where one side is zero (epoll_wait on io_uring): the means alone still say it.
                table.row(metric.header(), meanA, meanB, Numbers.MISSING, Numbers.MISSING);
            }
        }
        StringBuilder out = new StringBuilder(table.render());
        long unusable = java.util.stream.Stream.concat(as.stream(), bs.stream())
                .filter(t -> !t.saturation().usable())
                .count();
        if (unusable > 0) {
            out.append("\nWarning: ")
                    .append(unusable)
                    .append(" of ")
                    .append(as.size() + bs.size())
                    .append(" trials were client-bound: these ratios compare the client, not the servers.\n");
        }
        return out.toString();
    }

    private static String mean(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (Double v : values) {
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Numbers.MISSING : Numbers.rounded(sum / n);
    }
}
