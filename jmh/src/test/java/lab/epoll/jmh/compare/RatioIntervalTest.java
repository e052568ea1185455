package lab.epoll.jmh.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioIntervalTest {
    @Test
    void identicalRatiosGiveAnIntervalOfZeroWidth() {
        RatioInterval r = RatioInterval.of(List.of(100.0, 200.0, 50.0), List.of(110.0, 220.0, 55.0));
        assertThat(r.ratio()).isCloseTo(1.1, within(1e-9));
        assertThat(r.low()).isCloseTo(1.1, within(1e-9));
        assertThat(r.high()).isCloseTo(1.1, within(1e-9));
        assertThat(r.excludesOne()).isTrue();
        assertThat(r.text()).isEqualTo("1.100 [1.100, 1.100]");
    }

    @Test
    void aStudentTIntervalOnTheLogRatios() {
        // log ratios ln(1.0), ln(1.1), ln(1.2), ln(0.9), ln(1.05): mean m, sd s, t(4, 0.975) = 2.7764.
        List<Double> a = List.of(1.0, 1.0, 1.0, 1.0, 1.0);
        List<Double> b = List.of(1.0, 1.1, 1.2, 0.9, 1.05);
        double[] logs = b.stream().mapToDouble(Math::log).toArray();
        double m = Arrays.stream(logs).average().orElseThrow();
        double s = Math.sqrt(Arrays.stream(logs).map(x -> (x - m) * (x - m)).sum() / 4);
        double half = 2.7764451 * s / Math.sqrt(5);
        RatioInterval r = RatioInterval.of(a, b);
        assertThat(r.ratio()).isCloseTo(Math.exp(m), within(1e-9));
        assertThat(r.low()).isCloseTo(Math.exp(m - half), within(1e-6));
        assertThat(r.high()).isCloseTo(Math.exp(m + half), within(1e-6));
        assertThat(r.excludesOne()).as("1.0 lies inside").isFalse();
        assertThat(r.pairs()).isEqualTo(5);
    }

    @Test
    void pairsMissingAValueAreSkippedAndOneLeftHasNoInterval() {
        RatioInterval r = RatioInterval.of(Arrays.asList(1.0, null, 2.0), Arrays.asList(2.0, 3.0, null));
        assertThat(r.pairs()).isEqualTo(1);
        assertThat(r.ratio()).isCloseTo(2.0, within(1e-9));
        assertThat(r.text()).isEqualTo("2.000 [n/a]");
        assertThat(RatioInterval.of(List.of(), List.of()).text()).isEqualTo("—");
    }
}
