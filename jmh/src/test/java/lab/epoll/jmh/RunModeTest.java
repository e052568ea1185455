package lab.epoll.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * The runs' defaults are data JMH only reads when a run starts: a parameter no benchmark of the scenario has
 * would be ignored, or fail an hour into a sweep. This holds each to the benchmark classes it is for.
 */
class RunModeTest {
    @Test
    void everyDefaultParameterIsAParameterOfItsBenchmarks() {
        List<RunMode.Scenario> scenarios = new ArrayList<>(List.of(RunMode.PAIRED_ECHO, RunMode.PROFILED_ECHO));
        for (RunMode mode : RunMode.values()) {
            scenarios.add(mode.sweep());
            if (mode.paired() != null) {
                scenarios.add(mode.paired());
            }
        }
        for (RunMode.Scenario scenario : scenarios) {
            for (RunMode.Param param : scenario.params()) {
                assertThat(scenario.benchmarks())
                        .as("%s in %s", param.name(), scenario.shown())
                        .anyMatch(benchmark -> params(benchmark).contains(param.name()));
            }
        }
    }

    @Test
    void eachRunWritesItsOwnResultsFileButTheQuickAndFullRunsShareTheReportsOne() {
        assertThat(Stream.of(RunMode.values())
                        .filter(mode -> mode != RunMode.FULL)
                        .map(RunMode::resultsFile))
                .doesNotHaveDuplicates();
        assertThat(RunMode.FULL.resultsFile()).isEqualTo(RunMode.QUICK.resultsFile());
    }

    private static List<String> params(Class<?> benchmark) {
        List<String> names = new ArrayList<>();
        for (Class<?> type = benchmark; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.isAnnotationPresent(Param.class)) {
                    names.add(field.getName());
                }
            }
        }
        return names;
    }
}
