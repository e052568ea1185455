package lab.epoll.jmh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Arrays;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.TrialParam;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** The catalog names the harness's parameters and its score; these are the fields JMH reads them from. */
class TrialParamFieldsTest {
    @Test
    void everyTrialParamIsAParamFieldOfServerTrial() throws NoSuchFieldException {
        for (TrialParam param : TrialParam.values()) {
            Field field = ServerTrial.class.getField(param.field());
            assertThat(field.isAnnotationPresent(Param.class)).as(param.field()).isTrue();
        }
    }

    @Test
    void theEchoCountersFieldIsTheEchoesMetric() {
        assertThat(Arrays.stream(EchoCounter.class.getFields()).map(Field::getName))
                .containsExactly(Metric.ECHOES.label());
    }
}
