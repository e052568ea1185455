package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lab.epoll.catalog.LabPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The churn table and chart from the published sweep: every trial a row, each serving thread's share a series. */
class ChurnTest {
    private static final Path PUBLISHED =
            LabPaths.root().resolve("docs/results").resolve(LabPaths.CHURN_RESULTS);

    @Test
    void readsEveryChurnFileAndTablesEachTrialOnce() throws Exception {
        List<Trial> trials = Churn.read(PUBLISHED);
        assertThat(trials).isNotEmpty().allMatch(t -> t.benchmarkClass().equals(BenchmarkClass.CHURN.simpleName()));
        String markdown = Churn.markdown(trials);
        long rows = markdown.lines()
                .filter(l -> l.startsWith("| 1 ") || l.startsWith("| 100 "))
                .count();
        assertThat(rows).isEqualTo(trials.size());
        assertThat(markdown).contains("--listeners N").contains("busiest %").contains("Jain");
    }

    @Test
    void chartsOneSeriesPerServingThread(@TempDir Path dir) throws Exception {
        var chart = Churn.chart(Churn.read(PUBLISHED)).orElseThrow();
        assertThat(chart.getSeriesMap()).hasSize(Integer.parseInt(Churn.CHART_THREADS));
        Path file = dir.resolve(Churn.CHART);
        ChartStyle.save(chart, file);
        assertThat(Files.size(file)).isGreaterThan(5_000);
    }

    @Test
    void withoutChurnTrialsThereIsNoTableAndNoChart() {
        assertThat(Churn.markdown(List.of())).isEqualTo("_No churn trials._");
        assertThat(Churn.chart(List.of())).isEmpty();
    }
}
