package lab.epoll.jmh.metrics;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.load.LoopLatencies;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Each measured iteration's round trips, appended to an HdrHistogram interval log ({@code .hlog}, the library's
 * own format, which its tools read too): one file per trial, named by host, benchmark and parameters. Load run
 * from several processes or hosts against one server is then merged afterwards ({@link #merge}): the merged
 * percentiles are those of every round trip of every load, which no average of their own percentiles gives.
 * On with {@code --latency-log DIR} ({@link #PROPERTY} in the forks).
 */
public final class LatencyLog {
    public static final String PROPERTY = "lab.latencyLog";

    private LatencyLog() {}

    /** The folder asked for, or null when no log is kept. */
    static Path folder() {
        String dir = System.getProperty(PROPERTY);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** Appends one measured iteration's round trips to this trial's log in {@code folder}. */
    static void append(Path folder, BenchmarkParams params, Histogram interval) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + " for the latency logs", e);
        }
        appendTo(folder.resolve(fileName(params)), describe(params) + " from " + host(), interval);
    }

    /** Appends {@code interval} to {@code file}, starting it with the format's header if it is new. */
    public static void appendTo(Path file, String what, Histogram interval) {
        boolean fresh = !Files.exists(file);
        try (PrintStream out = new PrintStream(new FileOutputStream(file.toFile(), true), false, "UTF-8")) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            if (fresh) {
                writer.outputComment("round trips in ns of " + what);
                writer.outputLogFormatVersion();
                writer.outputStartTime(interval.getStartTimeStamp());
                writer.outputLegend();
            }
            writer.outputIntervalHistogram(interval);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the latency log " + file, e);
        }
    }

    /** Every interval of every file, merged: the round trips of all the loads together. */
    public static Histogram merge(List<Path> files) {
        List<Histogram> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(read(file));
        }
        return LoopLatencies.merge(parts);
    }

    /** Every interval of one file, merged. */
    public static Histogram read(Path file) {
        List<Histogram> intervals = new ArrayList<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
                intervals.add((Histogram) h);
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("no latency log " + file);
        }
        if (intervals.isEmpty()) {
            throw new IllegalArgumentException(
                    file + " holds no interval histogram (is it a .hlog the harness wrote?)");
        }
        return LoopLatencies.merge(intervals);
    }

    /**
     * {@code host-pid-Benchmark,param=value,...}: where the load ran (two loads on one host are two processes) and
     * what the trial was, without where it ran (its CPUs, the server's JVM flags).
     */
    static String fileName(BenchmarkParams params) {
        return (host() + "-" + ProcessHandle.current().pid() + "-" + describe(params))
                        .replaceAll("[^A-Za-z0-9=,._-]", "_")
                + ".hlog";
    }

    private static String describe(BenchmarkParams params) {
        String benchmark = params.getBenchmark();
        TreeMap<String, String> shown = new TreeMap<>();
        for (String key : params.getParamsKeys()) {
            String value = params.getParam(key);
            // The scenario's parameters, the variant, and a setup parameter only where it changes what is measured.
            if (key.equals(TrialParam.VARIANT.field())
                    || TrialParam.named(key).map(p -> p.marksScenario(value)).orElse(true)) {
                shown.put(key, value);
            }
        }
        StringBuilder name =
                new StringBuilder(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
        shown.forEach((k, v) -> {
            if (!v.isEmpty()) {
                name.append(',').append(k).append('=').append(v);
            }
        });
        return name.toString();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "host";
        }
    }
}
