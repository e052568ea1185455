package lab.epoll.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the lab's root directory, where the server modules' target/ folders are. */
public final class LabPaths {
    /**
     * Where the published flame graphs live, relative to the root: the harness's summary links them there, and
     * the report reads the summary ({@link #FLAME_SUMMARY}) from there.
     */
    public static final String FLAME_DIR = "docs/flame/";
    /** The flame graphs' summary table, beside the graphs. */
    public static final String FLAME_SUMMARY = "flames.md";
    /** The exercise's benchmark ({@code --exercise}): written by the harness, read by the report beside results.json. */
    public static final String EXERCISE_RESULTS = "exercise.json";
    /** The latency-vs-load sweep ({@code --curve}): written by the harness, read by the report beside results.json. */
    public static final String CURVE_RESULTS = "curve.json";
    /** The newcomer sweep's results, beside results.json. */
    public static final String NEWCOMER_RESULTS = "newcomers.json";
    /** The churn sweep's results ({@code --churn}): how several threads share new connections. */
    public static final String CHURN_RESULTS = "churn.json";

    /** The dated history of the lab's numbers: it quotes what the code once produced, on purpose. */
    public static final String JOURNAL = "docs/journal.md";

    private LabPaths() {}

    /**
     * The lab's documents, relative to {@code root}: README.md, PERFORMANCE.md and every Markdown file directly
     * under docs/ (the generated ones live deeper), so a new document is checked like the others without a list
     * to extend.
     */
    public static List<String> documents(Path root) {
        List<String> documents = new ArrayList<>(List.of("README.md", "PERFORMANCE.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(f -> f.getFileName().toString().endsWith(".md") && Files.isRegularFile(f))
                    .map(f -> root.relativize(f).toString())
                    .sorted()
                    .forEach(documents::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("docs"), e);
        }
        return documents;
    }

    /**
     * {@code -Dlab.root} (Maven sets it for tests and the harness), else the nearest parent of the working
     * directory with the root pom, else the nearest parent of the jar this class was loaded from (so
     * {@code java -jar jmh/target/benchmarks.jar} finds the server jars from anywhere).
     */
    public static Path root() {
        String property = System.getProperty("lab.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path found = rootAbove(Path.of("").toAbsolutePath());
        if (found == null) {
            found = rootAbove(codeLocation());
        }
        if (found == null) {
            throw new IllegalStateException("cannot find the lab's root directory; set -Dlab.root");
        }
        return found;
    }

    private static Path rootAbove(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("lt-server")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return null;
    }

    private static Path codeLocation() {
        try {
            return Path.of(LabPaths.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
