package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        PerformanceReport.generate(json, root, true);

        String doc = Files.readString(root.resolve("PERFORMANCE.md"));
        for (Block block : Block.values()) {
            assertThat(doc).contains(PerformanceMarkdown.open(block.id()), PerformanceMarkdown.close(block.id()));
        }
        assertThat(doc)
                .contains(
                        "![Throughput](docs/throughput.png)",
                        "38,459 ± n/a",
                        "JMH 1.37",
                        "_No idle-connection trials in this run._");
        assertThat(doc).doesNotContain("docs/idle-scaling.png");
        assertThat(root.resolve("docs/throughput.png")).isNotEmptyFile();
    }

    @Test
    void keepsTheProseAndChangesNothingTheSecondTime() throws IOException {
        Path doc = root.resolve("PERFORMANCE.md");
        PerformanceReport.generate(json, root, true);
        String withProse = Files.readString(doc)
                .replace(
                        "## Throughput\n",
                        "## Throughput\n\nET answers more echoes per second: it wakes less often.\n");
        Files.writeString(doc, withProse);

        assertThat(PerformanceReport.generate(json, root, true)).anyMatch(line -> line.startsWith("unchanged: "));
        assertThat(Files.readString(doc)).isEqualTo(withProse);
    }

    @Test
    void pairedComparisonsSavedBesideTheResultsFillTheirOwnBlocks() throws IOException {
        Path compare = Files.createDirectories(root.resolve(PerformanceReport.COMPARE_DIR));
        Files.writeString(compare.resolve("a-vs-b-echo.md"), "| metric | a | b |\n");
        Files.writeString(compare.resolve("c-vs-d-echo.md"), "| metric | c | d |\n");
        Path doc = root.resolve("PERFORMANCE.md");
        Files.writeString(
                doc, "# Mine\n\n<!-- report:compare-a-vs-b-echo -->\nold\n<!-- /report:compare-a-vs-b-echo -->\n");

        List<String> said = PerformanceReport.generate(json, root, true);

        assertThat(Files.readString(doc))
                .contains("<!-- report:compare-a-vs-b-echo -->\n| metric | a | b |\n")
                .doesNotContain("old");
        assertThat(said)
                .contains("block compare-a-vs-b-echo: updated")
                .anyMatch(line -> line.contains("has no <!-- report:compare-c-vs-d-echo -->"));
    }

    @Test
    void warnsAboutBlocksTheDocumentHasNoMarkersFor() throws IOException {
        Path doc = root.resolve("PERFORMANCE.md");
        Files.writeString(doc, "# Mine\n\n<!-- report:throughput -->\n<!-- /report:throughput -->\n");

        assertThat(PerformanceReport.generate(json, root, true))
                .anyMatch(line -> line.contains("has no <!-- report:latency -->"));
        assertThat(Files.readString(doc))
                .startsWith("# Mine\n\n<!-- report:throughput -->\n![Throughput]")
                .doesNotContain("report:latency");
    }

    @Test
    void aNewDocumentSaysWhatTheRunLackedAndEveryBlockIsWritten() throws IOException {
        List<String> lines = PerformanceReport.generate(json, root, true);

        for (String block : List.of("idle", "bulk", "tuning")) {
            assertThat(lines).anyMatch(line -> line.startsWith("block " + block + ": updated ("));
        }
        assertThat(Files.readString(root.resolve("PERFORMANCE.md")))
                .contains(
                        "_No idle-connection trials in this run._",
                        "_No bulk-stream trials in this run._",
                        "_No tuning runs");
    }

    @Test
    void refusesARunWithoutErrorBarsUnlessForced() throws IOException {
        // The sample's two trials ran one iteration each: JMH could not compute a margin.
        assertThatThrownBy(() -> PerformanceReport.generate(json, root, false))
                .isInstanceOf(PerformanceReport.RefusedRun.class)
                .hasMessageContaining("2 of 2 trials")
                .hasMessageContaining("--force");
        assertThat(root.resolve("PERFORMANCE.md")).doesNotExist();
    }

    @Test
    void aRunThatWouldDropPublishedRowsGoesToADraft() throws IOException {
        Results full = SyntheticResults.fullRun(true);
        PerformanceReport.write(full, full, root, false);
        Path doc = root.resolve("PERFORMANCE.md");
        String before = Files.readString(doc);
        byte[] throughputChart = Files.readAllBytes(root.resolve("docs/throughput.png"));
        Results two = new Results(full.trials().stream()
                .filter(t -> !t.isTuning() && t.benchmark().contains("EchoBenchmark"))
                .limit(2)
                .toList());

        PerformanceReport.Written written = PerformanceReport.write(two, two, root, false);

        assertThat(written.document()).isEqualTo(root.resolve(PerformanceReport.DRAFT));
        assertThat(written.lines())
                .anyMatch(line -> line.startsWith("this run would shrink ")
                        && line.contains("throughput")
                        && line.contains("--force writes it in place"));
        assertThat(doc).hasContent(before);
        assertThat(root.resolve("docs/throughput.png")).hasBinaryContent(throughputChart);
        String draft = Files.readString(written.document());
        assertThat(content(draft, Block.THROUGHPUT)).contains("](docs/draft/throughput.png)");
        assertThat(root.resolve("docs/draft/throughput.png")).isNotEmptyFile();
        assertThat(PerformanceMarkdown.tableRows(content(draft, Block.THROUGHPUT)))
                .isLessThan(PerformanceMarkdown.tableRows(content(before, Block.THROUGHPUT)));
    }

    @Test
    void aForcedSmallRunLeavesTheBlocksAndChartsItHasNoTrialsForInPlace() throws IOException {
        Results full = SyntheticResults.fullRun(true);
        PerformanceReport.write(full, full, root, false);
        Path doc = root.resolve("PERFORMANCE.md");
        String before = Files.readString(doc);
        byte[] idleChart = Files.readAllBytes(root.resolve("docs/idle-scaling.png"));
        byte[] bulkChart = Files.readAllBytes(root.resolve("docs/bulk.png"));

        List<String> lines = PerformanceReport.generate(json, root, true); // 2 echo trials: no idle, bulk or tuning

        assertThat(lines)
                .contains(
                        "block idle: kept (no trials in this run)",
                        "block bulk: kept (no trials in this run)",
                        "block tuning: kept (no trials in this run)")
                .anyMatch(line -> line.startsWith("block throughput: updated ("))
                .anyMatch(line -> line.startsWith("block run: updated ("));
        String after = Files.readString(doc);
        for (Block kept : List.of(Block.IDLE, Block.BULK, Block.TUNING)) {
            assertThat(content(after, kept))
                    .as(kept.id())
                    .isEqualTo(content(before, kept))
                    .isNotBlank();
        }
        assertThat(content(after, Block.IDLE))
                .contains("![Idle-connection scaling](docs/idle-scaling.png)", "| 10,000 ");
        assertThat(after).doesNotContain("_No idle-connection trials", "_No bulk-stream trials", "_No tuning runs");
        assertThat(content(after, Block.THROUGHPUT)).contains("38,459 ± n/a").doesNotContain("16 KiB");
        assertThat(root.resolve("docs/idle-scaling.png")).hasBinaryContent(idleChart);
        assertThat(root.resolve("docs/bulk.png")).hasBinaryContent(bulkChart);
    }

    @Test
    void aRerunReportsEveryBlockItHasTrialsForAsUnchanged() throws IOException {
        PerformanceReport.generate(json, root, true);

        List<String> lines = PerformanceReport.generate(json, root, true);

        assertThat(lines).contains("block idle: kept (no trials in this run)");
        for (String unchanged : List.of("run", "throughput", "memory")) {
            assertThat(lines).anyMatch(line -> line.startsWith("block " + unchanged + ": unchanged ("));
        }
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
