package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import lab.epoll.catalog.Metric;
import org.junit.jupiter.api.Test;

class ResultsReaderTest {
    static Results sample() throws IOException {
        try (InputStream in = ResultsReaderTest.class.getResourceAsStream("sample-results.json")) {
            assertThat(in).as("sample-results.json on the test class path").isNotNull();
            return ResultsReader.read(in);
        }
    }

    @Test
    void readsEveryTrialOfTheSampleInReportOrder() throws IOException {
        Results results = sample();

        assertThat(results.trials()).hasSize(2);
        assertThat(results.trials()).extracting(Trial::variant).containsExactly("lt", "et");
        Trial lt = results.trials().get(0);
        assertThat(lt.benchmarkClass()).isEqualTo("EchoBenchmark");
        assertThat(lt.scenario())
                .containsExactly(java.util.Map.entry("clients", "50"), java.util.Map.entry("payload", "512"));
        assertThat(lt.isTuning()).isFalse();
        assertThat(lt.param("serverJvm")).contains("-Xmx512m");
        assertThat(lt.primary().score()).isCloseTo(38458.669, within(0.01));
        assertThat(lt.primary().unit()).isEqualTo("ops/s");
    }

    @Test
    void readsTheStringNaNMarginAsNaN() throws IOException {
        Trial et = sample().trials().get(1);

        assertThat(et.primary().error()).isNaN();
        assertThat(et.primary().hasError()).isFalse();
        assertThat(et.metric(Metric.P99)).hasValueSatisfying(m -> {
            assertThat(m.score()).isCloseTo(4361.215, within(1e-6));
            assertThat(m.unit()).isEqualTo("us");
        });
    }

    @Test
    void readsTheProfilersSecondaryMetrics() throws IOException {
        Trial et = sample().trials().get(1);

        assertThat(et.secondary())
                .containsKeys(Stream.of(
                                Metric.P50,
                                Metric.P99,
                                Metric.P999,
                                Metric.SERVER_CPU_PER_OP,
                                Metric.RSS_PEAK,
                                Metric.EPOLL_WAIT,
                                Metric.EVENTS_PER_WAIT)
                        .map(Metric::label)
                        .toArray(String[]::new));
        assertThat(et.metric(Metric.READ).orElseThrow().score()).isCloseTo(1.126, within(0.001));
        assertThat(et.metric(Metric.CLIENT_CPU_PER_OP))
                .as("a metric the file predates")
                .isEmpty();
    }

    @Test
    void readsTheRunSetup() throws IOException {
        assertThat(sample().setups())
                .containsExactly(new RunSetup(
                        "1.37",
                        "OpenJDK 64-Bit Server VM",
                        "17.0.15",
                        "17.0.15+6-Debian-1deb12u1",
                        1,
                        1,
                        1,
                        "2 s",
                        2,
                        "2 s"));
    }

    @Test
    void readsNumericMarginsAndSortsScenariosNumerically() throws IOException {
        String json =
                "[" + entry("lt", "1000", "12.5") + "," + entry("et", "50", "NaN") + "," + entry("lt", "50", "3") + "]";

        Results results = ResultsReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(results.trials())
                .extracting(t -> t.variant() + "/" + t.param("clients"))
                .containsExactly("lt/50", "et/50", "lt/1000");
        assertThat(results.trials().get(2).primary().error()).isEqualTo(12.5);
        assertThat(results.trials().get(0).secondary()).isEmpty();
    }

    private static String entry(String variant, String clients, String error) {
        String errorJson = error.equals("NaN") ? "\"NaN\"" : error;
        return """
                {"jmhVersion":"1.37","benchmark":"lab.epoll.jmh.bench.EchoBenchmark.echo","forks":1,
                 "params":{"variant":"%s","clients":"%s","payload":"64","serverArgs":""},
                 "primaryMetric":{"score":100.0,"scoreError":%s,"scoreUnit":"ops/s"},"unknownField":[1,2]}
                """.formatted(variant, clients, errorJson);
    }
}
