package lab.epoll.jmh.cli;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import lab.epoll.jmh.metrics.LatencyMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code --merge-latencies FILE...}: reads logs of finished runs, from this host or others; starts nothing. */
@Command(
        header = "One line per latency log and their merge: every round trip of every load in one histogram, the"
                + " only correct way to combine percentiles. Runs nothing.")
final class MergeLatenciesCommand extends HarnessCommand {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .hlog files --latency-log wrote.")
    List<Path> logs;

    @Override
    void validate() {}

    @Override
    int run() {
        String table;
        try {
            table = LatencyMerge.table(logs);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw usageError(e.getMessage());
        }
        System.out.print(table);
        return 0;
    }
}
