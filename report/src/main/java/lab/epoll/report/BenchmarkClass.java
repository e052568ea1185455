package lab.epoll.report;

/**
 * The benchmarks the report has tables and charts for, named by their classes' simple names as results.json
 * spells them ({@code lab.epoll.jmh.bench.EchoBenchmark.echo} is {@link #ECHO}). This is the one place the
 * report names them: it reads results files and does not depend on the harness that wrote them, so a test in
 * the harness checks each name against a real benchmark class. Trials of benchmarks not listed here appear in
 * the run block only.
 */
public enum BenchmarkClass {
    ECHO("EchoBenchmark"),
    IDLE("IdleConnectionsBenchmark"),
    BULK("BulkStreamBenchmark"),
    EXERCISE("ExerciseBenchmark"),
    OPEN_LOOP("OpenLoopBenchmark"),
    NEWCOMER("NewcomerBenchmark"),
    CHURN("ChurnBenchmark");

    private final String simpleName;

    BenchmarkClass(String simpleName) {
        this.simpleName = simpleName;
    }

    /** The benchmark class's simple name, e.g. {@code EchoBenchmark}, as {@link Trial#benchmarkClass()} gives it. */
    public String simpleName() {
        return simpleName;
    }
}
