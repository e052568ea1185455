package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.LabPaths;
import org.junit.jupiter.api.Test;

/**
 * PERFORMANCE.md's hand-written verdicts quote paired ratios with their intervals, e.g. {@code 0.976 [0.957,
 * 0.995]}; the generated blocks hold the comparisons they come from. A quote that no block contains is a number
 * the harness no longer produces (a comparison re-run, a typo), and the prose would disagree with the tables.
 */
class ProseNumbersTest {
    private static final Pattern INTERVAL = Pattern.compile("\\d+\\.\\d{3} \\[\\d+\\.\\d{3}, \\d+\\.\\d{3}]");
    private static final Pattern BLOCK =
            Pattern.compile("<!--\\s*report:([A-Za-z0-9_.-]+)\\s*-->(.*?)<!--\\s*/report:\\1\\s*-->", Pattern.DOTALL);

    @Test
    void everyIntervalTheProseQuotesIsInAGeneratedBlock() throws IOException {
        String document = Files.readString(LabPaths.root().resolve(PerformanceReport.DOCUMENT));
        assertThat(quoted(document)).as("intervals quoted in the prose").isNotEmpty();
        assertThat(unbacked(document))
                .as("quoted intervals that no generated block of %s contains", PerformanceReport.DOCUMENT)
                .isEmpty();
    }

    /**
     * The README and the documents under docs/ quote the same comparisons: each interval they quote must be in
     * PERFORMANCE.md's blocks. The journal is history and quotes what the code once produced.
     */
    @Test
    void everyIntervalTheOtherDocumentsQuoteIsInAGeneratedBlockOfPerformanceMd() throws IOException {
        String document = Files.readString(LabPaths.root().resolve(PerformanceReport.DOCUMENT));
        List<String> unbacked = new ArrayList<>();
        for (String name : LabPaths.documents(LabPaths.root())) {
            if (!name.equals(PerformanceReport.DOCUMENT) && !name.equals(LabPaths.JOURNAL)) {
                unbacked(Files.readString(LabPaths.root().resolve(name)), document)
                        .forEach(quote -> unbacked.add(name + ": " + quote));
            }
        }
        assertThat(quoted(Files.readString(LabPaths.root().resolve(PerformanceReport.README))))
                .as("intervals quoted in the README")
                .isNotEmpty();
        assertThat(unbacked)
                .as("intervals quoted outside PERFORMANCE.md that no generated block of it contains")
                .isEmpty();
    }

    @Test
    void aQuoteThatNoBlockHoldsIsFound() {
        String document = """
                The ratio is 0.976 [0.957, 0.995], and once was 0.914 [0.837, 1.000].
                <!-- report:compare-a-vs-b -->
                | echoes/s | 0.976 [0.957, 0.995] | yes |
                <!-- /report:compare-a-vs-b -->
                """;
        assertThat(unbacked(document)).containsExactly("0.914 [0.837, 1.000]");
    }

    /** The intervals the prose (everything outside the report blocks) quotes. */
    static List<String> quoted(String document) {
        List<String> quoted = new ArrayList<>();
        Matcher interval = INTERVAL.matcher(BLOCK.matcher(document).replaceAll(""));
        while (interval.find()) {
            quoted.add(interval.group());
        }
        return quoted;
    }

    /** The quoted intervals that no generated block contains. */
    static List<String> unbacked(String document) {
        return unbacked(document, document);
    }

    /** The intervals {@code prose} quotes that no generated block of {@code document} contains. */
    static List<String> unbacked(String prose, String document) {
        StringBuilder generated = new StringBuilder();
        Matcher block = BLOCK.matcher(document);
        while (block.find()) {
            generated.append(block.group(2)).append('\n');
        }
        return quoted(prose).stream()
                .filter(q -> !generated.toString().contains(q))
                .toList();
    }
}
