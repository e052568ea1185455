package lab.epoll.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SaturationTest {
    @Test
    void namesTheSideThatRanOutOfCpu() {
        assertThat(Saturation.of(0.97, 1, 0.6, 1)).isEqualTo(Saturation.SERVER_BOUND);
        assertThat(Saturation.of(0.5, 1, 0.95, 1)).isEqualTo(Saturation.CLIENT_BOUND);
        assertThat(Saturation.of(0.95, 1, 0.95, 1)).isEqualTo(Saturation.BOTH_BOUND);
        assertThat(Saturation.of(0.4, 1, 0.3, 1)).isEqualTo(Saturation.LATENCY_BOUND);
        // Two server CPUs: 1.2 cores is not saturated.
        assertThat(Saturation.of(1.2, 2, 0.3, 1)).isEqualTo(Saturation.LATENCY_BOUND);
    }

    @Test
    void onlyTrialsThatMeasuredTheServerAreUsable() {
        assertThat(Saturation.SERVER_BOUND.usable()).isTrue();
        assertThat(Saturation.LATENCY_BOUND.usable()).isTrue();
        assertThat(Saturation.CLIENT_BOUND.usable()).isFalse();
        assertThat(Saturation.BOTH_BOUND.usable())
                .as("the server was saturated")
                .isTrue();
        assertThat(Saturation.CLIENT_BOUND.cell()).isEqualTo("client");
    }
}
