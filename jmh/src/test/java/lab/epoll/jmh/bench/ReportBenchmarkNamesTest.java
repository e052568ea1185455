package lab.epoll.jmh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import lab.epoll.report.BenchmarkClass;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The report names the benchmarks it has tables for by their simple class names, without depending on this
 * harness; a renamed benchmark class would silently leave its tables empty. This holds each name to a real
 * benchmark class in this package.
 */
class ReportBenchmarkNamesTest {
    @Test
    void eachBenchmarkTheReportKnowsIsABenchmarkClassHere() {
        for (BenchmarkClass known : BenchmarkClass.values()) {
            String name = ReportBenchmarkNamesTest.class.getPackageName() + "." + known.simpleName();
            Class<?> type;
            try {
                type = Class.forName(name);
            } catch (ClassNotFoundException e) {
                fail("the report knows %s as %s, but there is no class %s", known, known.simpleName(), name);
                return;
            }
            assertThat(Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)))
                    .as("%s has a @Benchmark method", name)
                    .isNotEmpty();
        }
    }
}
