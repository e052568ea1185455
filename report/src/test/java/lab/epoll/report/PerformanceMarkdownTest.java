package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerformanceMarkdownTest {
    private static final String PROSE_BEFORE =
            "# Performance\r\n\nHand-written: *ET* wins at 1000 clients.  \n\n## Throughput\n\n";
    private static final String PROSE_BETWEEN = "\n\nWhy: fewer wake-ups per echo — see the syscall table.\t\n\n";
    private static final String PROSE_AFTER = "\n\n<!-- an ordinary comment -->\nThe end, no final newline";
    private static final String DOCUMENT = PROSE_BEFORE
            + "<!-- report:throughput -->\nold table\n<!-- /report:throughput -->" + PROSE_BETWEEN
            + "<!-- report:latency --><!-- /report:latency -->" + PROSE_AFTER;

    @Test
    void replacesOnlyWhatIsBetweenTheMarkers() {
        String out = PerformanceMarkdown.replaceBlocks(DOCUMENT, blocks("| new | table |\n", "latency\ntable"))
                .text();

        assertThat(out)
                .isEqualTo(PROSE_BEFORE
                        + "<!-- report:throughput -->\n| new | table |\n<!-- /report:throughput -->" + PROSE_BETWEEN
                        + "<!-- report:latency -->\nlatency\ntable\n<!-- /report:latency -->" + PROSE_AFTER);
    }

    @Test
    void isIdempotent() {
        Map<String, String> blocks = blocks("| a |\n|---|\n", "b");
        String once = PerformanceMarkdown.replaceBlocks(DOCUMENT, blocks).text();
        String twice = PerformanceMarkdown.replaceBlocks(once, blocks).text();

        assertThat(twice).isEqualTo(once);
    }

    @Test
    void leavesBlocksItHasNothingForAndReportsMarkersTheDocumentLacks() {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("throughput", "t");
        blocks.put("memory", "m");

        PerformanceMarkdown.Rewrite rewrite = PerformanceMarkdown.replaceBlocks(DOCUMENT, blocks);

        assertThat(rewrite.text()).contains("<!-- report:latency --><!-- /report:latency -->");
        assertThat(rewrite.missing()).containsExactly("memory");
    }

    @Test
    void reportsWhichBlocksItChanged() {
        String once = PerformanceMarkdown.replaceBlocks(DOCUMENT, blocks("| a |\n", "b"))
                .text();

        PerformanceMarkdown.Rewrite rewrite = PerformanceMarkdown.replaceBlocks(once, blocks("| a |\n", "c"));

        assertThat(rewrite.changed()).containsExactly("latency");
        assertThat(PerformanceMarkdown.replaceBlocks(DOCUMENT, blocks("| a |\n", "b"))
                        .changed())
                .containsExactly("throughput", "latency");
    }

    @Test
    void toleratesSpacingInsideTheMarkers() {
        String doc = "a<!--report:run-->x<!--   /report:run   -->b";

        assertThat(PerformanceMarkdown.replaceBlocks(doc, Map.of("run", "y")).text())
                .isEqualTo("a<!--report:run-->\ny\n<!--   /report:run   -->b");
    }

    @Test
    void refusesMarkersItCannotPair() {
        assertThatThrownBy(() -> PerformanceMarkdown.replaceBlocks("<!-- report:run --> x", Map.of()))
                .hasMessageContaining("has no <!-- /report:run -->");
        assertThatThrownBy(() -> PerformanceMarkdown.replaceBlocks("x <!-- /report:run -->", Map.of()))
                .hasMessageContaining("closes a block that is not open");
        assertThatThrownBy(() -> PerformanceMarkdown.replaceBlocks(
                        "<!-- report:a --><!-- report:b --><!-- /report:b --><!-- /report:a -->", Map.of()))
                .hasMessageContaining("is not closed before");
        assertThatThrownBy(() -> PerformanceMarkdown.replaceBlocks(
                        "<!-- report:a --><!-- /report:a --><!-- report:a --><!-- /report:a -->", Map.of()))
                .hasMessageContaining("appears twice");
    }

    @Test
    void skeletonHasEveryBlockUnderAHeading() {
        String skeleton = PerformanceMarkdown.skeleton();

        int last = -1;
        for (Block block : Block.values()) {
            int heading = skeleton.indexOf("## " + block.heading() + "\n");
            assertThat(heading).as(block.id()).isGreaterThan(last);
            assertThat(skeleton.indexOf(PerformanceMarkdown.open(block.id()))).isGreaterThan(heading);
            assertThat(skeleton).contains(PerformanceMarkdown.close(block.id()));
            last = heading;
        }
        assertThat(PerformanceMarkdown.replaceBlocks(skeleton, Map.of()).missing())
                .isEmpty();
    }

    private static Map<String, String> blocks(String throughput, String latency) {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("throughput", throughput);
        blocks.put("latency", latency);
        return blocks;
    }
}
