package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceReportTest {
    @TempDir
    Path root;
    private Path json;

    @BeforeEach
    void copySample() throws IOException {
        json = root.resolve("results.json");
        try (InputStream in = getClass().getResourceAsStream("sample-results.json")) {
            Files.copy(in, json);
        }
    }

    @Test
    void createsPerformanceMdWithEveryBlockAndTheCharts() throws IOException {
        PerformanceReport.generate(json, root);

        String doc = Files.readString(root.resolve("PERFORMANCE.md"));
        for (Block block : Block.values()) {
            assertThat(doc).contains(PerformanceMarkdown.open(block.id()), PerformanceMarkdown.close(block.id()));
        }
        assertThat(doc).contains("![Throughput](docs/throughput.png)", "38,459 ± n/a", "JMH 1.37",
                "_No idle-connection trials in this run._");
        assertThat(doc).doesNotContain("docs/idle-scaling.png");
        assertThat(root.resolve("docs/throughput.png")).isNotEmptyFile();
    }

    @Test
    void keepsTheProseAndChangesNothingTheSecondTime() throws IOException {
        Path doc = root.resolve("PERFORMANCE.md");
        PerformanceReport.generate(json, root);
        String withProse = Files.readString(doc).replace("## Throughput\n",
                "## Throughput\n\nET answers more echoes per second: it wakes less often.\n");
        Files.writeString(doc, withProse);

        assertThat(PerformanceReport.generate(json, root)).anyMatch(line -> line.startsWith("unchanged: "));
        assertThat(Files.readString(doc)).isEqualTo(withProse);
    }

    @Test
    void pairedComparisonsSavedBesideTheResultsFillTheirOwnBlocks() throws IOException {
        Path compare = Files.createDirectories(root.resolve(PerformanceReport.COMPARE_DIR));
        Files.writeString(compare.resolve("a-vs-b-echo.md"), "| metric | a | b |\n");
        Files.writeString(compare.resolve("c-vs-d-echo.md"), "| metric | c | d |\n");
        Path doc = root.resolve("PERFORMANCE.md");
        Files.writeString(doc, "# Mine\n\n<!-- report:compare-a-vs-b-echo -->\nold\n<!-- /report:compare-a-vs-b-echo -->\n");

        List<String> said = PerformanceReport.generate(json, root);

        assertThat(Files.readString(doc)).contains("<!-- report:compare-a-vs-b-echo -->\n| metric | a | b |\n")
                .doesNotContain("old");
        assertThat(said).contains("block compare-a-vs-b-echo: updated")
                .anyMatch(line -> line.contains("has no <!-- report:compare-c-vs-d-echo -->"));
    }

    @Test
    void warnsAboutBlocksTheDocumentHasNoMarkersFor() throws IOException {
        Path doc = root.resolve("PERFORMANCE.md");
        Files.writeString(doc, "# Mine\n\n<!-- report:throughput -->\n<!-- /report:throughput -->\n");

        assertThat(PerformanceReport.generate(json, root))
                .anyMatch(line -> line.contains("has no <!-- report:latency -->"));
        assertThat(Files.readString(doc)).startsWith("# Mine\n\n<!-- report:throughput -->\n![Throughput]")
                .doesNotContain("report:latency");
    }

    @Test
    void aNewDocumentSaysWhatTheRunLackedAndEveryBlockIsWritten() throws IOException {
        List<String> lines = PerformanceReport.generate(json, root);

        assertThat(lines).contains("block idle: updated", "block bulk: updated", "block tuning: updated");
        assertThat(Files.readString(root.resolve("PERFORMANCE.md"))).contains(
                "_No idle-connection trials in this run._", "_No bulk-stream trials in this run._", "_No tuning runs");
    }

    @Test
    void aSmallRunLeavesTheBlocksAndChartsItHasNoTrialsForInPlace() throws IOException {
        Results full = SyntheticResults.fullRun(true);
        PerformanceReport.write(full, full, root);
        Path doc = root.resolve("PERFORMANCE.md");
        String before = Files.readString(doc);
        byte[] idleChart = Files.readAllBytes(root.resolve("docs/idle-scaling.png"));
        byte[] bulkChart = Files.readAllBytes(root.resolve("docs/bulk.png"));

        List<String> lines = PerformanceReport.generate(json, root); // 2 echo trials: no idle, bulk or tuning

        assertThat(lines).contains("block idle: kept (no trials in this run)", "block bulk: kept (no trials in this run)",
                "block tuning: kept (no trials in this run)", "block throughput: updated", "block run: updated");
        String after = Files.readString(doc);
        for (Block kept : List.of(Block.IDLE, Block.BULK, Block.TUNING)) {
            assertThat(content(after, kept)).as(kept.id()).isEqualTo(content(before, kept)).isNotBlank();
        }
        assertThat(content(after, Block.IDLE)).contains("![Idle-connection scaling](docs/idle-scaling.png)",
                "| 10,000 ");
        assertThat(after).doesNotContain("_No idle-connection trials", "_No bulk-stream trials", "_No tuning runs");
        assertThat(content(after, Block.THROUGHPUT)).contains("38,459 ± n/a").doesNotContain("16 KiB");
        assertThat(root.resolve("docs/idle-scaling.png")).hasBinaryContent(idleChart);
        assertThat(root.resolve("docs/bulk.png")).hasBinaryContent(bulkChart);
    }

    @Test
    void aRerunReportsEveryBlockItHasTrialsForAsUnchanged() throws IOException {
        PerformanceReport.generate(json, root);

        List<String> lines = PerformanceReport.generate(json, root);

        assertThat(lines).contains("block run: unchanged", "block throughput: unchanged", "block memory: unchanged",
                "block idle: kept (no trials in this run)");
        assertThat(lines.stream().filter(line -> line.startsWith("block "))).hasSize(Block.values().length);
    }

    /** What lies between a block's markers. */
    private static String content(String document, Block block) {
        int start = document.indexOf(PerformanceMarkdown.open(block.id()));
        int end = document.indexOf(PerformanceMarkdown.close(block.id()));
        assertThat(start).as(block.id() + " opened").isNotNegative();
        assertThat(end).as(block.id() + " closed").isGreaterThan(start);
        return document.substring(start + PerformanceMarkdown.open(block.id()).length(), end);
    }
}
