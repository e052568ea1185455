package lab.epoll.jmh.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.Saturation;
import lab.epoll.jmh.TrialSummary;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.ScalarResult;

/** {@code --precision}: when a comparison may stop, and what it says when it may not. */
class PrecisionTest {
    private static TrialSummary trial(double echoes, double cpu) {
        return new TrialSummary(
                "EchoBenchmark.echo",
                "et",
                "clients=50",
                Map.of(
                        Metric.ECHOES, new ScalarResult(Metric.ECHOES.label(), echoes, "ops/s", AggregationPolicy.AVG),
                        Metric.SERVER_CPU_PER_OP,
                                new ScalarResult(
                                        Metric.SERVER_CPU_PER_OP.label(), cpu, "us/op", AggregationPolicy.AVG)),
                Saturation.SERVER_BOUND);
    }

    /** Pairs whose B/A ratios are 1 plus the given deviations, on both settling metrics. */
    private static List<List<TrialSummary>> pairs(double... deviations) {
        List<TrialSummary> as = new ArrayList<>();
        List<TrialSummary> bs = new ArrayList<>();
        for (double d : deviations) {
            as.add(trial(100_000, 10));
            bs.add(trial(100_000 * (1 + d), 10 * (1 + d)));
        }
        return List.of(as, bs);
    }

    @Test
    void quietPairsSettleAfterTheMinimumAndNoisyOnesDoNot() {
        Precision threePercent = Precision.parse("3%");
        List<List<TrialSummary>> quiet = pairs(0.01, 0.012, 0.009);
        assertThat(threePercent.reached(quiet.get(0), quiet.get(1))).isTrue();
        List<List<TrialSummary>> twoQuiet = pairs(0.01, 0.012);
        assertThat(threePercent.reached(twoQuiet.get(0), twoQuiet.get(1)))
                .as("fewer than 3 pairs never settle")
                .isFalse();
        List<List<TrialSummary>> noisy = pairs(0.2, -0.15, 0.1, -0.2);
        assertThat(threePercent.reached(noisy.get(0), noisy.get(1))).isFalse();
        assertThat(threePercent.progress(noisy.get(0), noisy.get(1)))
                .matches("echoes/s ±\\d+\\.\\d%, srv CPU us/op ±\\d+\\.\\d% \\(asked: ±3\\.0%\\)");
    }

    @Test
    void readsPercentagesAndFractionsAndRefusesTheRest() {
        assertThat(Precision.parse("3%").halfWidth()).isEqualTo(0.03);
        assertThat(Precision.parse("0.05").halfWidth()).isEqualTo(0.05);
        assertThatThrownBy(() -> Precision.parse("three"))
                .hasMessage("--precision takes a percentage, e.g. 3% (or 0.03), not 'three'");
        assertThatThrownBy(() -> Precision.parse("150%")).hasMessageContaining("between 0% and 100%");
    }
}
