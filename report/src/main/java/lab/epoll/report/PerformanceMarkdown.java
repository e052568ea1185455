package lab.epoll.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PERFORMANCE.md is hand-written prose around generated blocks. This class rewrites only what lies between a
 * block's markers, {@code <!-- report:NAME -->} and {@code <!-- /report:NAME -->}, and leaves every other byte
 * as it was, so the analysis survives each new run. A block's content is always written the same way, so
 * running the report twice on the same results changes nothing.
 *
 * <p>Blocks the document has no markers for are not added (where they go is the author's call): they are
 * reported back so the command can say so. A marker without its partner, or a block opened twice, is an error
 * rather than a guess.
 */
final class PerformanceMarkdown {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*(/?)report:([A-Za-z0-9_.-]+)\\s*-->");

    private PerformanceMarkdown() {}

    /**
     * The outcome of a rewrite: the new text, the blocks the document had no markers for, and the blocks whose
     * content the rewrite changed (in document order).
     */
    record Rewrite(String text, List<String> missing, List<String> changed) {}

    /** Replaces each named block's content; names absent from the document come back in {@code missing}. */
    static Rewrite replaceBlocks(String document, Map<String, String> contents) {
        Map<String, int[]> spans = spans(document);
        StringBuilder out = new StringBuilder(document.length());
        List<String> changed = new ArrayList<>();
        int copied = 0;
        for (Map.Entry<String, int[]> block : spans.entrySet()) {
            String content = contents.get(block.getKey());
            if (content == null) {
                continue; // A block this run has nothing for (or does not know): leave it as it is.
            }
            int[] span = block.getValue();
            String replacement = "\n" + content.strip() + "\n";
            if (!document.substring(span[0], span[1]).equals(replacement)) {
                changed.add(block.getKey());
            }
            out.append(document, copied, span[0]).append(replacement);
            copied = span[1];
        }
        out.append(document, copied, document.length());
        List<String> missing = new ArrayList<>();
        contents.keySet().stream().filter(name -> !spans.containsKey(name)).forEach(missing::add);
        return new Rewrite(out.toString(), List.copyOf(missing), List.copyOf(changed));
    }

    /** Each block's current content, by name, in document order. */
    static Map<String, String> contents(String document) {
        Map<String, String> contents = new LinkedHashMap<>();
        spans(document).forEach((name, span) -> contents.put(name, document.substring(span[0], span[1])));
        return contents;
    }

    /** The Markdown table lines in a block's content, header lines included, separator lines not. */
    static long tableRows(String content) {
        return content.lines()
                .filter(line -> line.startsWith("|") && !line.matches("\\|[\\s:|-]+\\|"))
                .count();
    }

    /** A new PERFORMANCE.md: a heading and an empty block for each {@link Block}, ready for prose. */
    static String skeleton() {
        StringBuilder out = new StringBuilder();
        out.append("# Performance\n\n")
                .append("What the JMH harness measured, variant by variant. The tables and charts inside the report\n")
                .append("blocks are generated from `jmh/target/results.json` by\n")
                .append("`mvn -pl report exec:java`, which rewrites only those blocks:\n")
                .append("write the analysis around them.\n");
        for (Block block : Block.values()) {
            out.append("\n## ")
                    .append(block.heading())
                    .append("\n\n")
                    .append(open(block.id()))
                    .append('\n')
                    .append(close(block.id()))
                    .append('\n');
        }
        return out.toString();
    }

    static String open(String name) {
        return "<!-- report:" + name + " -->";
    }

    static String close(String name) {
        return "<!-- /report:" + name + " -->";
    }

    /** For each block, in document order, where its content starts (after the open marker) and ends. */
    private static Map<String, int[]> spans(String document) {
        Map<String, int[]> spans = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(document);
        String openName = null;
        int contentStart = -1;
        while (m.find()) {
            boolean closing = !m.group(1).isEmpty();
            String name = m.group(2);
            if (!closing) {
                if (openName != null) {
                    throw new IllegalArgumentException(open(openName) + " is not closed before " + m.group());
                }
                if (spans.containsKey(name)) {
                    throw new IllegalArgumentException(open(name) + " appears twice");
                }
                openName = name;
                contentStart = m.end();
            } else {
                if (!name.equals(openName)) {
                    throw new IllegalArgumentException(m.group() + " closes a block that is not open");
                }
                spans.put(name, new int[] {contentStart, m.start()});
                openName = null;
            }
        }
        if (openName != null) {
            throw new IllegalArgumentException(open(openName) + " has no " + close(openName));
        }
        return spans;
    }
}
