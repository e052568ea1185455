package lab.epoll.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table: a header and rows of cell text, numbers right-aligned. Cells are padded
 * to their column's width so the table also reads as plain text in a diff or a terminal.
 */
public final class MarkdownTable {
    private final List<String> header;
    private final int textColumns;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param textColumns how many leading columns are labels (left-aligned); the rest hold numbers
     */
    public MarkdownTable(int textColumns, String... header) {
        this.header = List.of(header);
        this.textColumns = textColumns;
    }

    public MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header " + header.size());
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    public MarkdownTable row(String... cells) {
        return row(List.of(cells));
    }

    public String render() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(3, escape(header.get(c)).length());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], escape(row.get(c)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            rule.add(c < textColumns ? "-".repeat(widths[c]) : "-".repeat(widths[c] - 1) + ":");
        }
        line(out, rule, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String cell = escape(cells.get(c));
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(c < textColumns ? cell + pad : pad + cell).append(" |");
        }
        out.append('\n');
    }

    /** A pipe inside a cell (e.g. in JVM flags) would end the cell. */
    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }
}
