package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.ServerVariant;
import org.junit.jupiter.api.Test;

class MarkdownTablesTest {

    @Test
    void throughputHasARowPerVariantWithMarginsAndNaForNaN() throws IOException {
        String table = MarkdownTables.throughput(ResultsReaderTest.sample());

        List<String> rows = rows(table);
        assertThat(rows.get(0)).contains("clients", "payload", "variant", "echoes/s", "MiB/s");
        assertThat(rows.get(1)).matches("\\|[-:| ]+\\|");
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2)).startsWith("| 50").contains("512 B", " lt ", "38,459 ± n/a", "18.8 ± n/a");
        assertThat(rows.get(3)).contains(" et ", "49,316 ± n/a");
    }

    @Test
    void numericMarginsKeepTheValuesPrecision() {
        assertThat(Score.text(new Score(49_315.9, 1_204.4, "ops/s"))).isEqualTo("49,316 ± 1,204");
        assertThat(Score.text(new Score(15.23, 0.412, "us/op"))).isEqualTo("15.2 ± 0.4");
        assertThat(Score.text(new Score(2.6957, Double.NaN, "events"))).isEqualTo("2.70 ± n/a");
        assertThat(Score.text(java.util.Optional.empty())).isEqualTo("—");
    }

    @Test
    void latencyCpuAndSyscallTablesFromTheSample() throws IOException {
        Results sample = ResultsReaderTest.sample();

        assertThat(MarkdownTables.latency(sample))
                .contains("p50 µs", "p99 µs", "p99.9 µs", "965 ± n/a", "4,361 ± n/a", "6,646 ± n/a");
        assertThat(MarkdownTables.cpu(sample)).contains("server CPU µs/echo", "15.2 ± n/a", "13.9 ± n/a");
        String syscalls = squeezed(MarkdownTables.syscalls(sample));
        assertThat(rows(syscalls).get(0))
                .contains("epoll_wait", "poll", "read", "write", "epoll_ctl", "total", "events/wait");
        assertThat(syscalls).contains("| 0.443 ± n/a |", "| 0 ± n/a |", "| 2.70 ± n/a |");
    }

    @Test
    void theTransportSweepSetsEachTransportAgainstNetty41EpollInItsOwnScenario() {
        List<String> rows = rows(squeezed(MarkdownTables.transports(SyntheticResults.fullRun(true))));

        assertThat(rows.get(0))
                .contains("echoes/s", "vs et", "srv CPU µs/echo", "io_uring_enter/op", "SQEs/enter", "io-wq/op");
        // Synthetic throughput falls 5% per variant in the lab's order: uring against et (2nd, 0.95).
        double uring = 1 - 0.05 * ServerVariant.names().indexOf(ServerVariant.URING.name());
        String change = String.format(java.util.Locale.ROOT, "| %+.1f%% |", 100 * (uring / 0.95 - 1));
        assertThat(rows)
                .filteredOn(r -> r.startsWith("| 50 | 512 B | uring |"))
                .singleElement()
                .asString()
                .contains(change);
        assertThat(rows)
                .filteredOn(r -> r.startsWith("| 50 | 512 B | et |"))
                .singleElement()
                .asString()
                .contains("| +0.0% |");
    }

    @Test
    void theExercisesTableShowsItsExpectedFiguresAboveEachVariantsMeasuredOnes() {
        List<String> rows = rows(squeezed(MarkdownTables.exercise(SyntheticResults.exerciseRun())));

        assertThat(rows.get(0)).contains("req/s", "bound", "mean ms", "server CPU %", "epoll_wait/req", "read/req");
        assertThat(rows.get(2)).startsWith("| _exercise, LT (expected)_ | ~50,000 |");
        assertThat(rows.get(3)).startsWith("| _exercise, ET (expected)_ | ~80,000 |");
        // Latency in ms (44,000 µs x 1.1 mean), CPU in % of a core (0.7 cores), requests/s from the profiler's count.
        assertThat(rows)
                .filteredOn(r -> r.startsWith("| raw-et |"))
                .singleElement()
                .asString()
                .contains("| 65,000 ± 2,000 |", "| 48.4 |", "| 70.0 |", "| 0.097 |", "| 2.10 |");
        assertThat(MarkdownTables.exercise(SyntheticResults.fullRun(true)))
                .isEqualTo("_No exercise trials in this run._");
    }

    @Test
    void blocksWithoutTrialsSaySoInOneLine() throws IOException {
        Results sample = ResultsReaderTest.sample();

        assertThat(MarkdownTables.idle(sample)).isEqualTo("_No idle-connection trials in this run._");
        assertThat(MarkdownTables.bulk(sample)).isEqualTo("_No bulk-stream trials in this run._");
        assertThat(MarkdownTables.tuning(sample)).startsWith("_No tuning runs");
    }

    @Test
    void runBlockStatesHowTheNumbersWereTaken() throws IOException {
        String run = squeezed(MarkdownTables.run(ResultsReaderTest.sample()));

        assertThat(run)
                .contains(
                        "JMH 1.37",
                        "OpenJDK 64-Bit Server VM 17.0.15",
                        "1 fork;",
                        "warmup 1 × 2 s",
                        "measurement 2 × 2 s",
                        "`-Xms512m -Xmx512m -XX:+UseG1GC -Dio.netty.leakDetection.level=disabled`",
                        "2 trials",
                        "\"n/a\" where JMH gives none");
        assertThat(rows(run)).hasSize(4);
        assertThat(run).contains("| 1 | EchoBenchmark | lt ", "| 2 | EchoBenchmark | et ", "clients=50 payload=512");
    }

    @Test
    void fullRunOrdersScenariosNumericallyAndVariantsInTheLabsOrder() {
        String table = MarkdownTables.throughput(SyntheticResults.fullRun(true));

        List<String> rows = rows(table);
        int variants = SyntheticResults.VARIANTS.size();
        String last = SyntheticResults.VARIANTS.get(variants - 1);
        assertThat(rows).hasSize(2 + 9 * variants);
        assertThat(rows.get(2)).startsWith("| 1 ").contains("64 B", " lt ");
        assertThat(rows.get(1 + variants)).startsWith("| 1 ").contains("64 B", " " + last + " ");
        assertThat(rows.get(2 + variants)).contains("512 B", " lt ");
        assertThat(rows.get(rows.size() - 1)).startsWith("| 1,000 ").contains("16 KiB", " " + last + " ");
        assertThat(table).doesNotContain("52,000").as("tuning runs stay out of the baseline tables");
    }

    @Test
    void idleBulkAndMemoryTablesFromAFullRun() {
        Results results = SyntheticResults.fullRun(true);

        String idle = MarkdownTables.idle(results);
        assertThat(rows(idle)).hasSize(2 + 3 * SyntheticResults.VARIANTS.size());
        assertThat(rows(idle).get(0)).contains("idle conns", "server CPU µs/echo", "epoll_wait/echo", "poll/echo");
        assertThat(idle).contains("| 10,000 ");
        assertThat(rows(MarkdownTables.bulk(results)).get(0)).contains("connections", "MiB/s", "read/MiB");
        String memory = MarkdownTables.memory(results);
        assertThat(rows(memory).get(0))
                .contains("variant", "echo (highest)", "idle 0", "idle 1,000", "idle 10,000", "bulk 4 conns");
        assertThat(rows(memory)).hasSize(2 + SyntheticResults.VARIANTS.size());
    }

    @Test
    void withoutPerfTheSyscallBlockSaysWhyAndTheOtherTablesDropTheirSyscallColumns() {
        Results results = SyntheticResults.fullRun(false);

        assertThat(MarkdownTables.syscalls(results)).startsWith("_No syscall counts in this run");
        assertThat(MarkdownTables.idle(results)).doesNotContain("poll/echo");
        assertThat(MarkdownTables.bulk(results)).doesNotContain("read/MiB");
    }

    @Test
    void tuningRunsSitNextToTheirBaseline() {
        String tuning = MarkdownTables.tuning(SyntheticResults.fullRun(true));

        List<String> rows = rows(tuning);
        assertThat(rows).hasSize(4);
        assertThat(rows.get(2))
                .contains(
                        "Echo",
                        "clients=50 payload=512",
                        " lt ",
                        "`--busy-poll 50us`",
                        "48,000 ± 1,440",
                        "52,000 ± 1,560",
                        "+8.3%");
        assertThat(rows.get(3)).contains(" et ", "`--max-messages-per-read 1`");
    }

    @Test
    void pipesInCellsAreEscaped() {
        String table = new MarkdownTable(1, "flags", "n").row("a|b", "1").render();

        assertThat(table).contains("a\\|b");
    }

    /** Cells are padded to their column's width; one space between things is enough to compare. */
    private static String squeezed(String markdown) {
        return markdown.replaceAll(" +", " ");
    }

    /** The table's lines, without the text before and after it. */
    private static List<String> rows(String markdown) {
        return Arrays.stream(markdown.split("\n"))
                .filter(line -> line.startsWith("|"))
                .toList();
    }
}
