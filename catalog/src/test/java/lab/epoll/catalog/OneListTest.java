package lab.epoll.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog is the only list of variant names and metric labels: a name spelled a second time in main code
 * would drift from it silently (a renamed metric showing up as a blank cell, a new variant missing from a
 * chart). This test reads every module's main sources and fails on any string literal that spells one.
 */
class OneListTest {
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

    @Test
    void noMainSourceOutsideTheCatalogSpellsAVariantNameOrAMetricLabel() {
        Set<String> names = new HashSet<>(ServerVariant.names());
        Arrays.stream(Metric.values()).map(Metric::label).forEach(names::add);
        List<String> spelled = new ArrayList<>();
        for (Path source : mainSourcesOutsideTheCatalog()) {
            for (String literal : literals(source)) {
                if (names.contains(literal)) {
                    spelled.add(LabPaths.root().relativize(source) + ": \"" + literal + "\"");
                }
            }
        }
        assertThat(spelled).as("variant names and metric labels belong to ServerVariant and Metric only").isEmpty();
    }

    @Test
    void theCheckFindsASpelledName() {
        assertThat(literals("String v = \"oneshot-kernel\"; String m = \"latency.p99.us\";"))
                .contains(ServerVariant.ONESHOT_KERNEL.name(), Metric.P99.label());
    }

    @Test
    void namesAndLabelsAreUnique() {
        assertThat(ServerVariant.names()).doesNotHaveDuplicates();
        assertThat(Arrays.stream(Metric.values()).map(Metric::label)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(Metric.values()).map(Metric::header)).doesNotHaveDuplicates();
    }

    private static List<Path> mainSourcesOutsideTheCatalog() {
        Path root = LabPaths.root();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> sources = files
                    .filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> root.relativize(p).toString().contains("/src/main/java/"))
                    .filter(p -> !root.relativize(p).startsWith("catalog"))
                    .toList();
            assertThat(sources).as("main sources found under %s", root).isNotEmpty();
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> literals(Path source) {
        try {
            return literals(Files.readString(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> literals(String code) {
        List<String> found = new ArrayList<>();
        Matcher m = STRING_LITERAL.matcher(code);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
