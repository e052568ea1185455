package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewcomersTest {
    @Test
    void tablesEveryConfigurationAndMarksNewcomersNeverAnswered() {
        String markdown = Newcomers.markdown(SyntheticResults.newcomerRun()).replaceAll(" +", " ");

        assertThat(markdown).contains("| 2,000 | 200 | lt | `--accept-batch 1` | 1,000 | **950** | 2,504 | 5,008 |");
        assertThat(markdown).contains("| 2,000 | 200 | lt | | 1,000 | 0 | 130 | 260 |");
        assertThat(markdown).contains("| 2,000 | 200 | et | | 1,000 | 0 | 56.0 | 112 |");
        assertThat(markdown).contains("New/s newcomers a second").contains("at most 5 s");
    }

    @Test
    void withoutNewcomerTrialsThereIsNoTableAndNoChart() {
        assertThat(Newcomers.markdown(List.of())).isEqualTo("_No newcomer trials._");
        assertThat(Newcomers.chart(List.of())).isEmpty();
    }

    @Test
    void drawsTheChart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(Newcomers.CHART);
        ChartStyle.save(Newcomers.chart(SyntheticResults.newcomerRun()).orElseThrow(), file);
        assertThat(Files.size(file)).isGreaterThan(5_000);
    }
}
