package lab.epoll.report;

import java.util.List;
import java.util.function.Function;

/**
 * The blocks of PERFORMANCE.md, in the order a new one has them: for each, the name in its markers
 * ({@code <!-- report:NAME -->}), the heading a new document gives it, the table that fills it and the charts it
 * shows above the table. This is the one list of them; the skeleton, the tables and the chart files all follow it.
 */
enum Block {
    RUN("run", "The run", MarkdownTables::run),
    THROUGHPUT("throughput", "Throughput", MarkdownTables::throughput,
            new Charts.Chart("throughput.png", "Throughput", Charts::throughput)),
    LATENCY("latency", "Latency", MarkdownTables::latency,
            new Charts.Chart("latency.png", "Latency percentiles", Charts::latency)),
    CPU("cpu", "Server CPU per request", MarkdownTables::cpu,
            new Charts.Chart("cpu-per-op.png", "Server CPU per echo", Charts::cpuPerOp)),
    SYSCALLS("syscalls", "Syscalls per request", MarkdownTables::syscalls,
            new Charts.Chart("syscalls-per-op.png", "Syscalls per echo", Charts::syscalls)),
    IDLE("idle", "Idle connections: epoll against poll", MarkdownTables::idle,
            new Charts.Chart("idle-scaling.png", "Idle-connection scaling", Charts::idleScaling)),
    BULK("bulk", "Bulk streaming", MarkdownTables::bulk,
            new Charts.Chart("bulk.png", "Bulk streaming", Charts::bulk)),
    MEMORY("memory", "Memory", MarkdownTables::memory,
            new Charts.Chart("memory.png", "Peak RSS", Charts::memory)),
    /** Filled from the tuning run when there is one (see {@link #table}), so knobs meet a same-session baseline. */
    TUNING("tuning", "Tuning runs", MarkdownTables::tuning);

    private final String id;
    private final String heading;
    private final Function<Results, String> table;
    private final List<Charts.Chart> charts;

    Block(String id, String heading, Function<Results, String> table, Charts.Chart... charts) {
        this.id = id;
        this.heading = heading;
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

    /** The block's table: from the tuning run for {@link #TUNING}, from the main run for every other block. */
    String table(Results run, Results tuning) {
        return table.apply(this == TUNING ? tuning : run);
    }
}
