package lab.epoll.jmh.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.bench.EchoBenchmark;
import lab.epoll.jmh.metrics.ServerMetricsProfiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** A real, tiny paired comparison: two pairs of short trials, each with its own server process. */
class PairedComparisonIT {
    @Test
    void alternatesTheVariantsAndWritesTheRatiosWithIntervals(@TempDir Path out) throws Exception {
        String a = ServerVariant.LT.name();
        String b = ServerVariant.ET.name();
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(EchoBenchmark.class.getName() + "\\.")
                .param("clients", "4")
                .param("payload", "512")
                // In the test's own JVM, unpinned: pinning would hold the whole test run to a CPU.
                .param("serverCpus", CpuSet.ALL)
                .param("clientCpus", CpuSet.ALL)
                .forks(0)
                .threads(1)
                .shouldFailOnError(true)
                .warmupIterations(0)
                .measurementIterations(2)
                .measurementTime(TimeValue.seconds(1))
                .addProfiler(ServerMetricsProfiler.class);

        PairedComparison.run(options, a, b, 2, out);

        String name = "lt-vs-et-echo-clients4-payload512";
        try (Stream<Path> trials = Files.list(out.resolve(name))) {
            assertThat(trials.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("01-lt.json", "02-et.json", "03-et.json", "04-lt.json");
        }
        String table = Files.readString(out.resolve(name + ".md"));
        assertThat(table).contains("et/lt [95% CI]", "2 pairs");
        assertThat(table)
                .as("a call neither epoll server makes is left out")
                .doesNotContain(Metric.IO_URING_ENTER.header());
        String echoes = table.lines()
                .filter(l -> l.startsWith("| " + Metric.ECHOES.header() + " "))
                .findFirst()
                .orElseThrow();
        assertThat(echoes).matches(".*\\|\\s+\\d+\\.\\d{3} \\[\\d+\\.\\d{3}, \\d+\\.\\d{3}\\] \\|.*");
        // One write per 512-byte echo, exactly. Without warmup the first iteration is measured too: a missing one
        // would halve every per-echo average, and a server thread perf did not see (one of four event loops not
        // yet started when it attached) would take a quarter of the writes away.
        table.lines()
                .filter(l -> l.startsWith("| " + Metric.WRITE.header() + " "))
                .findFirst()
                .ifPresent(write -> assertThat(Double.parseDouble(write.split("\\|")[2].trim()))
                        .as(write)
                        .isBetween(0.98, 1.05));
    }
}
