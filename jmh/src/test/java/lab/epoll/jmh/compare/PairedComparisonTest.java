package lab.epoll.jmh.compare;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** What a paired comparison says of itself before it runs: its file names and its scenario. */
class PairedComparisonTest {
    @Test
    void twoFlagListsAreNamedByWhatTellsThemApart() {
        assertThat(PairedComparison.distinguishing(
                        "-Xmx512m -XX:+UseG1GC -Djdk.pollerMode=1", "-Xmx512m -XX:+UseG1GC -Djdk.pollerMode=2"))
                .containsExactly("-Djdk.pollerMode=1", "-Djdk.pollerMode=2");
        assertThat(PairedComparison.distinguishing("lt", "et")).containsExactly("lt", "et");
        assertThat(PairedComparison.distinguishing("-Xmx512m", "-Xmx512m -Dx=1"))
                .containsExactly("-Xmx512m", "-Xmx512m -Dx=1");
    }

    @Test
    void saysTheScenarioAndHowLongItWillTakeUpFront() {
        var options = new OptionsBuilder()
                .include("EchoBenchmark\\.")
                .param("clients", "50")
                .param("payload", "512")
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(3))
                .measurementIterations(3)
                .measurementTime(TimeValue.seconds(2))
                .build();
        assertThat(PairedComparison.scenario(options)).isEqualTo("scenario EchoBenchmark clients=50 payload=512");
        assertThat(PairedComparison.eta(options, 5)).isEqualTo("about 2 min (14 s a trial)");
    }
}
