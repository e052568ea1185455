package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Saturation;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import org.junit.jupiter.api.Test;

class TrialTest {
    private static final Score PRIMARY = new Score(1_234.0, 10.0, "ops/s");
    private static final Score COUNTED = new Score(48_000.0, 1_440.0, Metric.ECHOES.unit());

    @Test
    void throughputIsThePrimaryScoreWhenTheTrialHasNoEchoCounter() throws IOException {
        Trial lt = ResultsReaderTest.sample().trials().get(0);

        assertThat(lt.metric(Metric.ECHOES))
                .as("the sample predates the counter")
                .isEmpty();
        assertThat(lt.throughput()).isEqualTo(lt.primary());
        assertThat(lt.throughput().score()).isCloseTo(38458.669, within(0.01));
    }

    @Test
    void throughputIsTheClientsEchoCounterWhenTheTrialHasIt() {
        Trial trial = echo(Map.of(Metric.ECHOES.label(), COUNTED));

        assertThat(trial.throughput()).isEqualTo(COUNTED);
        assertThat(trial.primary()).isEqualTo(PRIMARY);
    }

    @Test
    void aCounterWithoutAUsableValueFallsBackToThePrimaryScore() {
        Trial trial = echo(Map.of(Metric.ECHOES.label(), new Score(Double.NaN, Double.NaN, Metric.ECHOES.unit())));

        assertThat(trial.throughput()).isEqualTo(PRIMARY);
    }

    @Test
    void theCounterIsReadFromResultsJson() throws IOException {
        String json = """
                [{"jmhVersion":"1.37","benchmark":"lab.epoll.jmh.bench.EchoBenchmark.echo","forks":1,
                  "params":{"variant":"%s","clients":"50","payload":"512","serverArgs":""},
                  "primaryMetric":{"score":1234.0,"scoreError":10.0,"scoreUnit":"ops/s"},
                  "secondaryMetrics":{"%s":{"score":48000.0,"scoreError":1440.0,"scoreUnit":"%s"}}}]
                """.formatted(ServerVariant.LT.name(), Metric.ECHOES.label(), Metric.ECHOES.unit());

        Results results = ResultsReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(results.trials().get(0).throughput()).isEqualTo(COUNTED);
    }

    @Test
    void tablesShowTheCounterNotThePrimaryScore() {
        Trial counted = echo(Map.of(Metric.ECHOES.label(), COUNTED));
        Results results = new Results(List.of(counted));

        assertThat(MarkdownTables.throughput(results))
                .contains("48,000 ± 1,440")
                .doesNotContain("1,234");
    }

    @Test
    void saturationComesFromTheCoresEachSideUsedOfTheCpusItWasPinnedTo() {
        Map<String, Score> busyClient = Map.of(
                Metric.SERVER_CORES.label(),
                new Score(0.5, 0.01, "cores"),
                Metric.CLIENT_CORES.label(),
                new Score(0.97, 0.01, "cores"));
        Map<String, String> pinned = new java.util.HashMap<>(echo(Map.of()).params());
        pinned.put(TrialParam.SERVER_CPUS.field(), "1");
        pinned.put(TrialParam.CLIENT_CPUS.field(), "0");
        Trial trial = new Trial(
                "lab.epoll.jmh.bench.EchoBenchmark.echo", pinned, PRIMARY, busyClient, SyntheticResults.SETUP);

        assertThat(trial.saturation()).contains(Saturation.CLIENT_BOUND);
        assertThat(MarkdownTables.throughput(new Results(List.of(trial)))).contains("| client |");
        assertThat(echo(busyClient).saturation())
                .as("a run that recorded no CPU layout")
                .isEmpty();
    }

    private static Trial echo(Map<String, Score> secondary) {
        Map<String, String> params = Map.of(
                "variant",
                ServerVariant.LT.name(),
                "clients",
                "50",
                "payload",
                "512",
                "serverJvm",
                "",
                "serverArgs",
                "");
        return new Trial("lab.epoll.jmh.bench.EchoBenchmark.echo", params, PRIMARY, secondary, SyntheticResults.SETUP);
    }
}
