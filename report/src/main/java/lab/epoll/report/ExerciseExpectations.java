package lab.epoll.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.LabPaths;

/**
 * The figures the epoll exercise expects of its LT and ET servers, read from the one place they are written down:
 * the marked table of {@code docs/exercise.md}, which says where in the exercise each comes from.
 */
record ExerciseExpectations(List<Row> rows) {
    static final String DOCUMENT = "docs/exercise.md";
    private static final String START = "<!-- exercise:expected -->";
    private static final String END = "<!-- /exercise:expected -->";

    /** One server's expected figures, as the exercise writes them (approximations keep their "~"). */
    record Row(String server, String requestsPerSecond, String latencyMs, String cpuPercent, String waitsPerRequest) {}

    static ExerciseExpectations read() {
        Path path = LabPaths.root().resolve(DOCUMENT);
        try {
            return parse(Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exercise's expected figures from " + path, e);
        }
    }

    /** The rows of the table between the markers; fails naming what is missing. */
    static ExerciseExpectations parse(String document) {
        int start = document.indexOf(START);
        int end = document.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalStateException(DOCUMENT + " has no " + START + " ... " + END + " table");
        }
        List<Row> rows = new ArrayList<>();
        for (String line :
                document.substring(start + START.length(), end).strip().split("\n")) {
            String[] cells = line.strip().replaceAll("^\\||\\|$", "").split("\\|");
            if (cells.length != 5) {
                throw new IllegalStateException(DOCUMENT + ": an expected-figures row needs 5 cells: " + line);
            }
            String first = cells[0].strip();
            if (first.equals("server") || first.startsWith("---")) {
                continue; // the header and its rule
            }
            rows.add(new Row(first, cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip()));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(DOCUMENT + ": the expected-figures table has no rows");
        }
        return new ExerciseExpectations(List.copyOf(rows));
    }
}
