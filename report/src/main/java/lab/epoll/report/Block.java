package lab.epoll.report;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The blocks of PERFORMANCE.md, in the order a new one has them: for each, the name in its markers
 * ({@code <!-- report:NAME -->}), the heading a new document gives it, the trials it shows, the table that fills
 * it and the charts it shows above the table. This is the one list of them; the skeleton, the tables and the
 * chart files all follow it.
 */
enum Block {
    RUN("run", "The run", Results::trials, MarkdownTables::run),
    THROUGHPUT(
            "throughput",
            "Throughput",
            baseline(BenchmarkClass.ECHO),
            MarkdownTables::throughput,
            new Charts.Chart("throughput.png", "Throughput", Charts::throughput)),
    LATENCY(
            "latency",
            "Closed-loop round trips (service times)",
            baseline(BenchmarkClass.ECHO),
            MarkdownTables::latency,
            new Charts.Chart("latency.png", "Closed-loop round-trip percentiles", Charts::latency)),
    CPU(
            "cpu",
            "Server CPU per request",
            baseline(BenchmarkClass.ECHO),
            MarkdownTables::cpu,
            new Charts.Chart("cpu-per-op.png", "Server CPU per echo", Charts::cpuPerOp)),
    SYSCALLS(
            "syscalls",
            "Syscalls per request",
            baseline(BenchmarkClass.ECHO),
            MarkdownTables::syscalls,
            new Charts.Chart("syscalls-per-op.png", "Syscalls per echo", Charts::syscalls)),
    IDLE(
            "idle",
            "Idle connections: epoll against poll",
            baseline(BenchmarkClass.IDLE),
            MarkdownTables::idle,
            new Charts.Chart("idle-scaling.png", "Idle-connection scaling", Charts::idleScaling)),
    BULK(
            "bulk",
            "Bulk streaming",
            baseline(BenchmarkClass.BULK),
            MarkdownTables::bulk,
            new Charts.Chart("bulk.png", "Bulk streaming", Charts::bulk)),
    /** Peak RSS for every benchmark the report knows: a trial of any of them is news here. */
    MEMORY(
            "memory",
            "Memory",
            baseline(BenchmarkClass.values()),
            MarkdownTables::memory,
            new Charts.Chart("memory.png", "Peak RSS", Charts::memory)),
    /** Filled from the tuning run when there is one (see {@link #source}), so knobs meet a same-session baseline. */
    TUNING("tuning", "Tuning runs", Results::tuning, MarkdownTables::tuning);

    private final String id;
    private final String heading;
    private final Function<Results, List<Trial>> trials;
    private final Function<Results, String> table;
    private final List<Charts.Chart> charts;

    Block(
            String id,
            String heading,
            Function<Results, List<Trial>> trials,
            Function<Results, String> table,
            Charts.Chart... charts) {
        this.id = id;
        this.heading = heading;
        this.trials = trials;
        this.table = table;
        this.charts = List.of(charts);
    }

    /** The name in the block's markers, e.g. {@code throughput}. */
    String id() {
        return id;
    }

    /** The heading a new PERFORMANCE.md puts above the block. */
    String heading() {
        return heading;
    }

    /** The charts the block shows above its table, in order; none for the run and tuning blocks. */
    List<Charts.Chart> charts() {
        return charts;
    }

    /** The block's table, from {@link #source the results it reads}. */
    String table(Results run, Results tuning) {
        return table.apply(source(run, tuning));
    }

    /**
     * Whether the results have trials this block shows. A block without any keeps what PERFORMANCE.md already
     * has: a run of some benchmarks must not wipe the numbers of the others.
     */
    boolean hasTrials(Results run, Results tuning) {
        return !trials.apply(source(run, tuning)).isEmpty();
    }

    /** The tuning run for {@link #TUNING}, the main run for every other block. */
    private Results source(Results run, Results tuning) {
        return this == TUNING ? tuning : run;
    }

    /** The untuned trials of the given benchmarks. */
    private static Function<Results, List<Trial>> baseline(BenchmarkClass... benchmarks) {
        return r ->
                Arrays.stream(benchmarks).flatMap(b -> r.baseline(b).stream()).toList();
    }
}
