package lab.epoll.report;

/**
 * How JMH ran a trial: the facts PERFORMANCE.md's run block states so a reader can judge the numbers (one short
 * fork is a smoke test, not a measurement). Every trial of one harness run normally has the same setup.
 */
public record RunSetup(
        String jmhVersion,
        String vmName,
        String jdkVersion,
        String vmVersion,
        int forks,
        int threads,
        int warmupIterations,
        String warmupTime,
        int measurementIterations,
        String measurementTime) {}
