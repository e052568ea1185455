package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.params.provider.MethodSource;

class TableOfContentsTest {
    @Test
    void headingsBecomeGitHubAnchorsAndCodeIsNoHeading() {
        String document = String.join(
                "\n",
                "# Title",
                "## Who gets served: 2,000 busy",
                "```console",
                "## not a heading",
                "```",
                "### Netty 4.2 and `--accept-batch`",
                "## Who gets served: 2,000 busy");
        assertThat(TableOfContents.of(document))
                .isEqualTo(String.join(
                        "\n",
                        "- [Who gets served: 2,000 busy](#who-gets-served-2000-busy)",
                        "  - [Netty 4.2 and --accept-batch](#netty-42-and---accept-batch)",
                        "- [Who gets served: 2,000 busy](#who-gets-served-2000-busy-1)"));
    }

    /** A document longer than this many lines carries its own table of contents. */
    private static final int LONG = 200;

    static List<String> longDocuments() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (String name : LabPaths.documents(LabPaths.root())) {
            if (Files.readAllLines(LabPaths.root().resolve(name)).size() > LONG) {
                long_.add(name);
            }
        }
        return long_;
    }

    @ParameterizedTest
    @MethodSource("longDocuments")
    void aLongDocumentCarriesItsOwnContents(String name) throws IOException {
        String document = Files.readString(LabPaths.root().resolve(name));
        String block = PerformanceMarkdown.contents(document).get(TableOfContents.BLOCK);
        assertThat(block)
                .as("the contents block of %s (mvn -pl report exec:java rewrites it)", name)
                .isNotNull();
        assertThat(block.strip()).isEqualTo(TableOfContents.of(document));
    }

    /**
     * Every link from one of the lab's documents ({@link LabPaths#documents}) to a file of the repository lands on a file that exists, and every
     * link to a heading, within a document or to another of them, on a heading that exists.
     */
    @Test
    void everyAnchorLinkLandsOnAHeading() throws IOException {
        Path root = LabPaths.root();
        Map<Path, Set<String>> anchors = new HashMap<>();
        Map<Path, String> documents = new HashMap<>();
        for (String name : LabPaths.documents(root)) {
            Path path = root.resolve(name).normalize();
            String document = Files.readString(path);
            documents.put(path, document);
            Set<String> own = new HashSet<>();
            Matcher m = Pattern.compile("\\(#([^)\\s]+)\\)").matcher(TableOfContents.of(document));
            while (m.find()) {
                own.add(m.group(1));
            }
            anchors.put(path, own);
        }
        List<String> broken = new ArrayList<>();
        // [text](path.md#anchor), [text](#anchor) or [text](path): not web links.
        Pattern link = Pattern.compile("\\]\\((?!https?:)([^)#\\s]*)(?:#([^)\\s]+))?\\)");
        documents.forEach((path, document) -> {
            Matcher m = link.matcher(document);
            while (m.find()) {
                Path target = m.group(1).isEmpty()
                        ? path
                        : path.getParent().resolve(m.group(1)).normalize();
                String shown =
                        root.relativize(path) + " -> " + m.group(1) + (m.group(2) == null ? "" : "#" + m.group(2));
                if (!Files.exists(target)) {
                    broken.add(shown + " (no such file)");
                } else if (m.group(2) != null
                        && anchors.containsKey(target)
                        && !anchors.get(target).contains(m.group(2))) {
                    broken.add(shown + " (no such heading)");
                }
            }
        });
        assertThat(broken).as("links to files or headings that do not exist").isEmpty();
    }
}
