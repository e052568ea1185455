package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency-vs-load block: the sweep's table, a knee sentence per variant, and its chart. */
class LoadCurveTest {

    @Test
    void saysWhereEachCurveBends() {
        String markdown = LoadCurve.markdown(SyntheticResults.curveRun()).replaceAll(" +", " ");

        assertThat(markdown).contains("| et | 10,000 | 10,000 ± 20 |", "| nio-poll | 90,000 | 70,000 ± 20 |");
        // et: p90 75 µs at 90,000/s is 2.5x its 30 µs at 10,000/s, within the knee factor of 3.
        assertThat(markdown).contains("**et**: no knee up to 90,000/s (p90 30.0 µs at 10,000/s, 75.0 µs at 90,000/s).");
        // nio-poll: p90 75 µs at 60,000/s is within 3x its 40 µs; at 90,000/s it falls behind, p90 2,000 µs.
        assertThat(markdown)
                .contains("**nio-poll**: the knee is between 60,000/s and 90,000/s: p90 40.0 µs at"
                        + " 10,000/s, 75.0 µs at 60,000/s, then 2,000 µs (p99 4,000 µs) with 70,000 ± 20 achieved.");
    }

    @Test
    void aClientBehindItsScheduleIsNotTakenForTheServersKnee() {
        String markdown = LoadCurve.markdown(SyntheticResults.curveRun(20_000)).replaceAll(" +", " ");

        assertThat(markdown)
                .contains(
                        "**nio-poll**: no knee this client can show: on schedule up to 60,000/s",
                        "at 90,000/s the client itself fell behind its schedule (pacing p99 20,000 µs)");
    }

    @Test
    void withoutOpenLoopTrialsThereIsNoCurve() {
        assertThat(LoadCurve.markdown(SyntheticResults.fullRun(true))).isEqualTo("_No open-loop trials in this run._");
        assertThat(LoadCurve.chart(SyntheticResults.fullRun(true))).isEmpty();
    }

    @Test
    void drawsTheChart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(LoadCurve.CHART);
        ChartStyle.write(LoadCurve.chart(SyntheticResults.curveRun()).orElseThrow(), file);
        assertThat(Files.size(file)).isGreaterThan(10_000);
    }
}
