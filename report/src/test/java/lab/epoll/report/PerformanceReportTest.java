package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void warnsAboutBlocksTheDocumentHasNoMarkersFor() throws IOException {
        Path doc = root.resolve("PERFORMANCE.md");
        Files.writeString(doc, "# Mine\n\n<!-- report:throughput -->\n<!-- /report:throughput -->\n");

        assertThat(PerformanceReport.generate(json, root))
                .anyMatch(line -> line.contains("has no <!-- report:latency -->"));
        assertThat(Files.readString(doc)).startsWith("# Mine\n\n<!-- report:throughput -->\n![Throughput]")
                .doesNotContain("report:latency");
    }
}
