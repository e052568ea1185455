package lab.epoll.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The document's table of contents, made from its own {@code ##} and {@code ###} headings, so that it cannot
 * drift from them: each entry links to the anchor GitHub gives the heading (lower case, punctuation dropped,
 * spaces as hyphens, a {@code -1}, {@code -2} suffix for repeats). Headings inside code blocks are not headings.
 */
final class TableOfContents {
    /** The block the table goes into. */
    static final String BLOCK = "contents";

    private TableOfContents() {}

    static String of(String document) {
        List<String> lines = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inCode = false;
        for (String line : document.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            if (inCode) {
                continue;
            }
            int level = line.startsWith("### ") ? 3 : line.startsWith("## ") ? 2 : 0;
            if (level == 0) {
                continue;
            }
            String title = line.substring(level + 1).trim();
            String anchor = anchor(title);
            int repeat = seen.merge(anchor, 1, Integer::sum) - 1;
            lines.add((level == 3 ? "  " : "") + "- [" + title.replace("`", "") + "](#" + anchor
                    + (repeat > 0 ? "-" + repeat : "") + ")");
        }
        return String.join("\n", lines);
    }

    /** GitHub's anchor for a heading. */
    static String anchor(String title) {
        return title.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{M}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
