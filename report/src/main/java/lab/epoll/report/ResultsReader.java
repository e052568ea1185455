package lab.epoll.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads JMH's JSON result file ({@code -rf json}, what the harness writes to {@code jmh/target/results.json}).
 *
 * <p>The file's entries are bound to a private record shaped like JMH's output and then split into a
 * {@link Trial} and its {@link RunSetup}. Fields the report does not use (raw data, percentiles of the score,
 * the benchmark JVM's arguments) are ignored, so newer JMH versions that add fields still read.
 */
public final class ResultsReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);

    private ResultsReader() {}

    public static Results read(Path json) throws IOException {
        try (InputStream in = Files.newInputStream(json)) {
            return read(in);
        }
    }

    /**
     * The trials of {@code benchmark} in every {@code PREFIX*.json} in the folder of {@code json}, the files in
     * name order: one sweep's results and the runs added to it (Netty's stock accept, a second Netty line, ...).
     */
    static java.util.List<Trial> readAll(Path json, String prefix, BenchmarkClass benchmark) throws IOException {
        Path dir = json.toAbsolutePath().getParent();
        java.util.List<Trial> trials = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            for (Path file : (Iterable<Path>)
                    files.filter(f -> f.getFileName().toString().startsWith(prefix)
                                    && f.getFileName().toString().endsWith(".json"))
                            .sorted()::iterator) {
                read(file).trials().stream()
                        .filter(t -> t.benchmarkClass().equals(benchmark.simpleName()))
                        .forEach(trials::add);
            }
        }
        return trials;
    }

    public static Results read(InputStream json) throws IOException {
        Entry[] entries = MAPPER.readValue(json, Entry[].class);
        return new Results(Arrays.stream(entries).map(Entry::toTrial).toList());
    }

    /** One element of JMH's top-level array; {@code scoreError} may be the string "NaN", which Jackson accepts. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Entry(
            String jmhVersion,
            String benchmark,
            int threads,
            int forks,
            String jdkVersion,
            String vmName,
            String vmVersion,
            int warmupIterations,
            String warmupTime,
            int measurementIterations,
            String measurementTime,
            Map<String, String> params,
            JsonMetric primaryMetric,
            Map<String, JsonMetric> secondaryMetrics) {
        Trial toTrial() {
            if (benchmark == null || primaryMetric == null) {
                throw new IllegalArgumentException("not a JMH result entry (no benchmark or primaryMetric): " + this);
            }
            Map<String, Score> secondary = new TreeMap<>();
            if (secondaryMetrics != null) {
                secondaryMetrics.forEach((label, m) -> secondary.put(label, m.toMetric()));
            }
            RunSetup setup = new RunSetup(
                    jmhVersion,
                    vmName,
                    jdkVersion,
                    vmVersion,
                    forks,
                    threads,
                    warmupIterations,
                    warmupTime,
                    measurementIterations,
                    measurementTime);
            return new Trial(benchmark, params == null ? Map.of() : params, primaryMetric.toMetric(), secondary, setup);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record JsonMetric(Double score, Double scoreError, String scoreUnit) {
        Score toMetric() {
            return new Score(
                    score == null ? Double.NaN : score,
                    scoreError == null ? Double.NaN : scoreError,
                    scoreUnit == null ? "" : scoreUnit);
        }
    }
}
