package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.LabPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableOfContentsTest {
    @Test
    void headingsBecomeGitHubAnchorsAndCodeIsNoHeading() {
        String document = String.join("\n", "# Title", "## Who gets served: 2,000 busy", "```console",
                "## not a heading", "```", "### Netty 4.2 and `--accept-batch`", "## Who gets served: 2,000 busy");
        assertThat(TableOfContents.of(document)).isEqualTo(String.join("\n",
                "- [Who gets served: 2,000 busy](#who-gets-served-2000-busy)",
                "  - [Netty 4.2 and --accept-batch](#netty-42-and---accept-batch)",
                "- [Who gets served: 2,000 busy](#who-gets-served-2000-busy-1)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PERFORMANCE.md", PerformanceReport.README})
    void aLongDocumentCarriesItsOwnContents(String name) throws IOException {
        String document = Files.readString(LabPaths.root().resolve(name));
        String block = PerformanceMarkdown.contents(document).get(TableOfContents.BLOCK);
        assertThat(block).as("the contents block of %s (mvn -pl report exec:java rewrites it)", name).isNotNull();
        assertThat(block.strip()).isEqualTo(TableOfContents.of(document));
    }

    /** Every link to a heading, within a document or from one to the other, lands on a heading that exists. */
    @Test
    void everyAnchorLinkLandsOnAHeading() throws IOException {
        Map<String, Set<String>> anchors = new HashMap<>();
        Map<String, String> documents = new HashMap<>();
        for (String name : List.of("PERFORMANCE.md", PerformanceReport.README)) {
            String document = Files.readString(LabPaths.root().resolve(name));
            documents.put(name, document);
            Set<String> own = new HashSet<>();
            Matcher m = Pattern.compile("\\(#([^)\\s]+)\\)")
                    .matcher(TableOfContents.of(document));
            while (m.find()) {
                own.add(m.group(1));
            }
            anchors.put(name, own);
        }
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(((?:PERFORMANCE|README)\\.md)?#([^)\\s]+)\\)");
        documents.forEach((name, document) -> {
            Matcher m = link.matcher(document);
            while (m.find()) {
                String target = m.group(1) == null ? name : m.group(1);
                if (!anchors.get(target).contains(m.group(2))) {
                    broken.add(name + " -> " + target + "#" + m.group(2));
                }
            }
        });
        assertThat(broken).as("links to headings that do not exist").isEmpty();
    }
}
