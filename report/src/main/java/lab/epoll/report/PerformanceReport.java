package lab.epoll.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.epoll.catalog.LabPaths;

/**
 * {@code mvn -pl report exec:java [-Dexec.args="path/to/results.json"]}: turns a harness run's JMH JSON
 * (by default {@code jmh/target/results.json}) into the charts under {@code docs/} and the generated blocks of
 * {@code PERFORMANCE.md}, both at the lab's root. Prose outside the blocks is never touched; a missing
 * PERFORMANCE.md is created with every block under a heading, ready for the analysis to be written around it.
 * Blocks the run has no trials for (a run without the idle benchmark has nothing for the idle block) keep their
 * content and their charts, so the report only ever gains what a run measured.
 *
 * <p>It runs no benchmark and needs no server jar, so it can be rerun freely, e.g. after editing the prose. It is
 * its own module, apart from the harness, so that Jackson and XChart stay off the benchmark forks' class path.
 */
public final class PerformanceReport {
    static final String DOCUMENT = "PERFORMANCE.md";
    static final String CHART_DIR = "docs";
    /**
     * Where a run that would shrink a published table goes instead, with its charts: PERFORMANCE.md only ever
     * gains rows, unless the user says {@code --force}.
     */
    static final String DRAFT = "PERFORMANCE.draft.md";

    static final String DRAFT_CHART_DIR = "docs/draft";
    /** Beside results.json: the paired comparisons, one Markdown file each. */
    static final String COMPARE_DIR = "compare";
    /** The transport sweep's results ({@code --transports}) beside results.json, and the block it fills. */
    static final String TRANSPORTS_JSON = "transports.json";

    static final String TRANSPORTS_BLOCK = "transports";
    /** The exercise's benchmark ({@code --exercise}) beside results.json fills this block. */
    static final String EXERCISE_BLOCK = "exercise";
    /** The latency-vs-load sweep ({@code --curve}) beside results.json fills this block and draws its chart. */
    static final String CURVE_BLOCK = "curve";
    /** The flame graphs' summary ({@code --profile}, copied to docs/flame/ with the graphs) and its block. */
    static final String FLAMES_SUMMARY = LabPaths.FLAME_DIR + LabPaths.FLAME_SUMMARY;

    static final String FLAMES_BLOCK = "flames";

    private PerformanceReport() {}

    /**
     * The command: the one optional argument is the results file, relative to the working directory;
     * {@code --force} writes a run without error bars, or one that would drop published rows, into PERFORMANCE.md.
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> rest = new ArrayList<>(List.of(args));
        boolean force = rest.remove("--force");
        if (rest.size() > 1 || rest.stream().anyMatch(arg -> arg.startsWith("-"))) {
            System.err.println("usage: mvn -pl report exec:java [-Dexec.args=\"[--force] [path/to/results.json]\"]");
            System.exit(2);
            return;
        }
        Path root = LabPaths.root();
        Path json = rest.size() == 1 ? Path.of(rest.get(0)).toAbsolutePath() : root.resolve("jmh/target/results.json");
        // The tuning run (--tuning) sits beside the results; its untuned trials are its own baseline.
        Path tuning = json.resolveSibling("tuning.json");
        try {
            generate(json, Files.exists(tuning) ? tuning : null, root, force)
                    .forEach(line -> System.out.println("[report] " + line));
        } catch (RefusedRun e) {
            System.err.println("[report] " + e.getMessage());
            System.exit(2);
        } catch (NoSuchFileException e) {
            System.err.println("[report] no results at " + json + ": run the benchmarks first"
                    + " (mvn -pl jmh exec:java), or pass a results file:"
                    + " mvn -pl report exec:java -Dexec.args=\"path/to/results.json\"");
            System.exit(2);
        }
    }

    /** A run the report will not write without {@code --force}; the message says why and what to do. */
    static final class RefusedRun extends RuntimeException {
        RefusedRun(String message) {
            super(message);
        }
    }

    /** Reads {@code json}, writes the charts and PERFORMANCE.md under {@code root}; returns what it did, by line. */
    static List<String> generate(Path json, Path root, boolean force) throws IOException {
        return generate(json, null, root, force);
    }

    /**
     * As {@link #generate(Path, Path, boolean)}, with the tuning table taken from a separate tuning run when there
     * is one ({@code tuningJson} non-null), so its knobs are compared with a baseline measured in the same
     * session. Unless {@code force}, a run with a trial that has no error bar is refused ({@link RefusedRun}), and
     * one that would drop table rows from a block is written to {@link #DRAFT} instead.
     */
    static List<String> generate(Path json, Path tuningJson, Path root, boolean force) throws IOException {
        Results results = ResultsReader.read(json);
        long withoutBars = results.trials().stream()
                .filter(t -> !t.throughput().hasError())
                .count();
        if (withoutBars > 0 && !force) {
            throw new RefusedRun(withoutBars + " of " + results.trials().size() + " trials in " + json
                    + " have no error bar (too few iterations to compute one): their differences cannot be told from"
                    + " noise. Run more iterations (the quick run's defaults have them), or pass --force.");
        }
        Results tuning = tuningJson == null ? results : ResultsReader.read(tuningJson);
        List<String> report = new ArrayList<>();
        report.add("read " + results.trials().size() + " trials from " + json);
        if (tuningJson != null) {
            report.add("read " + tuning.trials().size() + " tuning trials from " + tuningJson);
        }
        Map<String, String> comparisons = comparisons(json.resolveSibling(COMPARE_DIR));
        // The transport sweep (--transports) sits beside the results too, and fills its own block like a comparison.
        Path transports = json.resolveSibling(TRANSPORTS_JSON);
        if (Files.exists(transports)) {
            Results sweep = ResultsReader.read(transports);
            report.add("read " + sweep.trials().size() + " transport-sweep trials from " + transports);
            comparisons.put(TRANSPORTS_BLOCK, MarkdownTables.transports(sweep));
        }
        // The latency-vs-load sweep (--curve): its table and knees fill a block, its chart is drawn here.
        Path curve = json.resolveSibling(LabPaths.CURVE_RESULTS);
        if (Files.exists(curve)) {
            Results sweep = ResultsReader.read(curve);
            report.add("read " + sweep.trials().size() + " open-loop trials from " + curve);
            comparisons.put(CURVE_BLOCK, LoadCurve.markdown(sweep));
            Optional<org.knowm.xchart.XYChart> chart = LoadCurve.chart(sweep);
            if (chart.isPresent()) {
                Path file = root.resolve(CHART_DIR).resolve(LoadCurve.CHART);
                ChartStyle.write(chart.get(), file);
                report.add("chart: " + root.relativize(file));
            }
        }
        Path exercise = json.resolveSibling(LabPaths.EXERCISE_RESULTS);
        if (Files.exists(exercise)) {
            Results bursts = ResultsReader.read(exercise);
            report.add("read " + bursts.trials().size() + " exercise trials from " + exercise);
            comparisons.put(EXERCISE_BLOCK, MarkdownTables.exercise(bursts));
        }
        // The newcomer and churn scenarios (--newcomers, --churn): every NAME*.json beside the results, one table
        // and one chart each.
        List<Trial> newcomers = Newcomers.read(json);
        if (!newcomers.isEmpty()) {
            report.add("read " + newcomers.size() + " newcomer trials from "
                    + json.resolveSibling(Newcomers.FILE_PREFIX + "*.json"));
            comparisons.put(
                    Newcomers.BLOCK,
                    chartAbove(
                                    Newcomers.chart(newcomers),
                                    Newcomers.CHART,
                                    "New connections' wait while the server is saturated",
                                    root,
                                    report)
                            + Newcomers.markdown(newcomers));
        }
        List<Trial> churn = Churn.read(json);
        if (!churn.isEmpty()) {
            report.add(
                    "read " + churn.size() + " churn trials from " + json.resolveSibling(Churn.FILE_PREFIX + "*.json"));
            comparisons.put(
                    Churn.BLOCK,
                    chartAbove(
                                    Churn.chart(churn),
                                    Churn.CHART,
                                    "Each serving thread's share of new connections",
                                    root,
                                    report)
                            + Churn.markdown(churn));
        }
        // The flame graphs' summary (--profile), published beside the graphs, fills its block as written.
        Path flames = root.resolve(FLAMES_SUMMARY);
        if (Files.exists(flames)) {
            report.add("read the flame graphs' summary from " + flames);
            comparisons.put(FLAMES_BLOCK, Files.readString(flames));
        }
        if (!comparisons.isEmpty()) {
            report.add("read " + comparisons.size() + " paired comparisons from " + json.resolveSibling(COMPARE_DIR));
        }
        Written written = write(results, tuning, root, force);
        report.addAll(written.lines());
        report.addAll(writeComparisons(comparisons, written.document()));
        if (Files.exists(root.resolve(README))) {
            report.addAll(writeVariants(root.resolve(README)));
        }
        report.addAll(writeContents(written.document()));
        if (Files.isDirectory(root.resolve("docs"))) {
            for (String name : LabPaths.documents(root)) {
                Path document = root.resolve(name);
                if (!document.equals(written.document())
                        && Files.exists(document)
                        && PerformanceMarkdown.contents(Files.readString(document))
                                .containsKey(TableOfContents.BLOCK)) {
                    report.addAll(writeContents(document));
                }
            }
        }
        return report;
    }

    /** Saves the chart, if there is one, and returns the Markdown that shows it above a block's table. */
    private static String chartAbove(
            Optional<org.knowm.xchart.CategoryChart> chart, String name, String alt, Path root, List<String> report)
            throws IOException {
        if (chart.isEmpty()) {
            return "";
        }
        Path file = root.resolve(CHART_DIR).resolve(name);
        ChartStyle.save(chart.get(), file);
        report.add("chart: " + root.relativize(file));
        return "![" + alt + "](" + CHART_DIR + "/" + name + ")\n\n";
    }

    /**
     * The paired comparisons ({@code --compare}) saved beside the results, by block id: {@code compare/NAME.md}
     * goes into the block {@code compare-NAME}, as the harness wrote it.
     */
    static Map<String, String> comparisons(Path dir) throws IOException {
        Map<String, String> blocks = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : (Iterable<Path>)
                        files.filter(f -> f.toString().endsWith(".md")).sorted()::iterator) {
                    String name = file.getFileName().toString();
                    blocks.put("compare-" + name.substring(0, name.length() - ".md".length()), Files.readString(file));
                }
            }
        }
        return blocks;
    }

    /** Puts each comparison into its block; one that the document has no place for is named, not guessed. */
    static List<String> writeComparisons(Map<String, String> comparisons, Path document) throws IOException {
        if (comparisons.isEmpty()) {
            return List.of();
        }
        String before = Files.readString(document);
        PerformanceMarkdown.Rewrite rewrite = PerformanceMarkdown.replaceBlocks(before, comparisons);
        if (!rewrite.text().equals(before)) {
            Files.writeString(document, rewrite.text());
        }
        List<String> report = new ArrayList<>();
        for (String id : comparisons.keySet()) {
            report.add(
                    rewrite.missing().contains(id)
                            ? "warning: " + document.getFileName() + " has no " + PerformanceMarkdown.open(id) + " ... "
                                    + PerformanceMarkdown.close(id) + " block for this comparison"
                            : "block " + id + ": " + (rewrite.changed().contains(id) ? "updated" : "unchanged"));
        }
        return report;
    }

    /** The lab's README, which carries a table of contents made the same way. */
    static final String README = "README.md";

    /** Rewrites the README's list of variants from the catalog. */
    static List<String> writeVariants(Path readme) throws IOException {
        return writeBlock(readme, VariantsTable.BLOCK, before -> VariantsTable.markdown(), "the list of variants");
    }

    /** Rewrites the document's table of contents from its headings, last, once every block is in place. */
    static List<String> writeContents(Path document) throws IOException {
        return writeBlock(document, TableOfContents.BLOCK, TableOfContents::of, "its table of contents");
    }

    /**
     * Rewrites one block of {@code document} with what {@code content} makes of the document as it stands; a
     * document without the block gets a warning line naming {@code what} the block is for.
     */
    private static List<String> writeBlock(Path document, String block, UnaryOperator<String> content, String what)
            throws IOException {
        String before = Files.readString(document);
        PerformanceMarkdown.Rewrite rewrite =
                PerformanceMarkdown.replaceBlocks(before, Map.of(block, content.apply(before)));
        if (!rewrite.missing().isEmpty()) {
            return List.of("warning: " + document.getFileName() + " has no " + PerformanceMarkdown.open(block)
                    + " block for " + what);
        }
        if (!rewrite.text().equals(before)) {
            Files.writeString(document, rewrite.text());
        }
        return List.of("block " + block + ": " + (rewrite.changed().isEmpty() ? "unchanged" : "updated"));
    }

    /** Where a report was written (PERFORMANCE.md or the draft), and what it did there, by line. */
    record Written(Path document, List<String> lines) {}

    /**
     * Writes the charts and PERFORMANCE.md under {@code root} from results already read. A new document gets
     * every block, a "no … in this run" note where the run has no trials for one; an existing document keeps such
     * a block's content as it is, and its charts stay too, so a run of some benchmarks adds to the report instead
     * of wiping the others' numbers. A run that would leave a block with fewer table rows than it has (fewer
     * variants or scenarios than the published run) is written, with its charts, to {@link #DRAFT} and
     * {@link #DRAFT_CHART_DIR} instead, unless {@code force}.
     */
    static Written write(Results results, Results tuning, Path root, boolean force) throws IOException {
        Path document = root.resolve(DOCUMENT);
        boolean existed = Files.exists(document);
        Set<Block> written = EnumSet.noneOf(Block.class);
        for (Block block : Block.values()) {
            if (!existed || block.hasTrials(results, tuning)) {
                written.add(block);
            }
        }
        String before = existed ? Files.readString(document) : PerformanceMarkdown.skeleton();
        Map<String, String> published = PerformanceMarkdown.contents(before);
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> shrunk = new ArrayList<>();
        for (Block block : written) {
            long now = PerformanceMarkdown.tableRows(published.getOrDefault(block.id(), ""));
            long then = PerformanceMarkdown.tableRows(block.table(results, tuning));
            rows.put(block.id(), " (" + now + " -> " + then + " table lines)");
            if (then < now) {
                shrunk.add(block.id());
            }
        }
        boolean draft = existed && !shrunk.isEmpty() && !force;
        Path target = draft ? root.resolve(DRAFT) : document;
        String chartDir = draft ? DRAFT_CHART_DIR : CHART_DIR;
        if (draft) {
            Files.createDirectories(root.resolve(chartDir));
        }
        List<Charts.Drawn> charts = Charts.render(results, root.resolve(chartDir), written);
        Map<String, String> contents = new LinkedHashMap<>(blocks(results, tuning, charts, chartDir));
        contents.keySet().removeIf(id -> written.stream().noneMatch(b -> b.id().equals(id)));
        PerformanceMarkdown.Rewrite rewrite = PerformanceMarkdown.replaceBlocks(before, contents);
        boolean changed = !existed || draft || !rewrite.text().equals(before);
        if (changed) {
            Files.writeString(target, rewrite.text());
        }
        List<String> report = new ArrayList<>();
        if (draft) {
            report.add("this run would shrink " + String.join(", ", shrunk) + ": " + DOCUMENT + " is unchanged, the"
                    + " report went to " + DRAFT + " (charts in " + DRAFT_CHART_DIR + "); --force writes it in place");
        }
        report.add("charts: "
                + (charts.isEmpty()
                        ? "none (no data for any)"
                        : charts.stream().map(c -> chartDir + "/" + c.file()).collect(Collectors.joining(", "))));
        report.add((existed && !draft ? (changed ? "updated " : "unchanged: ") : "created ") + target);
        for (Block block : Block.values()) {
            String id = block.id();
            if (!written.contains(block)) {
                report.add("block " + id + ": kept (no trials in this run)");
            } else if (rewrite.missing().contains(id)) {
                report.add("warning: " + target.getFileName() + " has no " + PerformanceMarkdown.open(id) + " ... "
                        + PerformanceMarkdown.close(id) + " block; its " + id + " table was not written");
            } else {
                report.add("block " + id + ": " + (rewrite.changed().contains(id) ? "updated" : "unchanged")
                        + rows.get(id));
            }
        }
        return new Written(target, report);
    }

    /** Each block's Markdown: its chart (when one was drawn, in {@link #CHART_DIR}), then its table. */
    static Map<String, String> blocks(Results results, List<Charts.Drawn> charts) {
        return blocks(results, results, charts, CHART_DIR);
    }

    /** As {@link #blocks(Results, List)}, with the tuning block drawn from {@code tuning}, charts in chartDir. */
    static Map<String, String> blocks(Results results, Results tuning, List<Charts.Drawn> charts, String chartDir) {
        Map<String, String> blocks = new LinkedHashMap<>();
        for (Block block : Block.values()) {
            StringBuilder content = new StringBuilder();
            charts.stream()
                    .filter(c -> c.block() == block)
                    .forEach(c -> content.append("![")
                            .append(c.title())
                            .append("](")
                            .append(chartDir)
                            .append('/')
                            .append(c.file())
                            .append(")\n\n"));
            content.append(block.table(results, tuning));
            blocks.put(block.id(), content.toString());
        }
        return blocks;
    }
}
