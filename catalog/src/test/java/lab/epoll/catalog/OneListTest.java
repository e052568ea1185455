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
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalog is the only list of variant names, metric labels and server option names: a name spelled a second
 * time in main code would drift from it silently (a renamed metric showing up as a blank cell, a new variant
 * missing from a chart, a renamed option still refused or documented by its old name). This test reads every
 * module's main sources and fails on any string literal that spells one.
 */
class OneListTest {

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
        assertThat(spelled)
                .as("variant names and metric labels belong to ServerVariant and Metric only")
                .isEmpty();
    }

    /**
     * Option names also hide inside longer text (help, error messages, command-line fragments such as
     * {@code "--busy-poll 50us"}): any literal that names one, or its negated form, counts, and its text is
     * built from {@link ServerOption.Name} instead.
     */
    @Test
    void noMainSourceOutsideTheCatalogSpellsAServerOptionName() {
        List<String> spelled = new ArrayList<>();
        for (Path source : mainSourcesOutsideTheCatalog()) {
            for (String literal : literals(source)) {
                optionNamedIn(literal)
                        .ifPresent(option -> spelled.add(
                                LabPaths.root().relativize(source) + ": " + option + " in \"" + literal + "\""));
            }
        }
        assertThat(spelled)
                .as("server option names belong to ServerOption only")
                .isEmpty();
    }

    @Test
    void theCheckFindsASpelledName() {
        assertThat(literals("String v = \"oneshot-kernel\"; String m = \"latency.p99.us\";"))
                .contains(ServerVariant.ONESHOT_KERNEL.name(), Metric.P99.label());
        assertThat(literals("args.add(\"--busy-poll 50us\"); // \"--io-threads\" in a comment is prose").stream()
                        .map(OneListTest::optionNamedIn)
                        .flatMap(Optional::stream))
                .containsExactly(ServerOption.BUSY_POLL);
        assertThat(optionNamedIn("turn it off with --no-tcp-nodelay")).contains(ServerOption.TCP_NODELAY);
        assertThat(optionNamedIn("--accept-batch=8")).contains(ServerOption.ACCEPT_BATCH);
        assertThat(optionNamedIn("--transports, --accepted, -p targetMetrics=HOST:PORT"))
                .isEmpty();
    }

    @Test
    void optionNamesAreUniqueAndSpelledAsTheirConstants() {
        for (ServerOption option : ServerOption.values()) {
            assertThat(option.longName())
                    .as("%s's name", option.name())
                    .isEqualTo("--" + option.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        assertThat(ServerOption.Name.NO_TCP_NODELAY)
                .isEqualTo("--no-" + ServerOption.TCP_NODELAY.longName().substring(2));
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
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java"))
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

    /** The first server option a text names by its long name, or by its negated form {@code --no-NAME}. */
    private static Optional<ServerOption> optionNamedIn(String text) {
        return Arrays.stream(ServerOption.values())
                .filter(option -> Pattern.compile("(?<![\\w-])--(no-)?"
                                + Pattern.quote(option.longName().substring(2)) + "(?![\\w-])")
                        .matcher(text)
                        .find())
                .findFirst();
    }

    /** The string literals (text blocks too) of Java source, past comments and char literals such as '"'. */
    private static List<String> literals(String code) {
        List<String> found = new ArrayList<>();
        int i = 0;
        while (i < code.length()) {
            if (code.startsWith("//", i)) {
                i = end(code.indexOf('\n', i), code);
            } else if (code.startsWith("/*", i)) {
                i = end(code.indexOf("*/", i + 2), code) + 2;
            } else if (code.startsWith("\"\"\"", i)) {
                int close = end(code.indexOf("\"\"\"", i + 3), code);
                found.add(code.substring(i + 3, close));
                i = close + 3;
            } else if (code.charAt(i) == '"' || code.charAt(i) == '\'') {
                char quote = code.charAt(i);
                StringBuilder literal = new StringBuilder();
                for (i++; i < code.length() && code.charAt(i) != quote && code.charAt(i) != '\n'; i++) {
                    if (code.charAt(i) == '\\' && i + 1 < code.length()) {
                        literal.append(code.charAt(i++));
                    }
                    literal.append(code.charAt(i));
                }
                if (quote == '"') {
                    found.add(literal.toString());
                }
                i++;
            } else {
                i++;
            }
        }
        return found;
    }

    private static int end(int index, String code) {
        return index < 0 ? code.length() : index;
    }
}
