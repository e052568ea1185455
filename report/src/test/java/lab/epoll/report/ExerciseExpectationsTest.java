package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The exercise's expected figures come from docs/exercise.md's marked table, and nowhere else. */
class ExerciseExpectationsTest {
    @Test
    void theDocumentGivesAnLtAndAnEtRow() {
        assertThat(ExerciseExpectations.read().rows())
                .extracting(ExerciseExpectations.Row::server)
                .containsExactly("LT", "ET");
    }

    @Test
    void readsTheRowsBetweenTheMarkers() {
        ExerciseExpectations expected = ExerciseExpectations.parse("""
                text
                <!-- exercise:expected -->
                | server | requests/s | latency ms | CPU % | epoll_wait per request |
                | --- | --- | --- | --- | --- |
                | LT | ~50,000 | 2 | 15 | ~1 |
                <!-- /exercise:expected -->
                """);
        assertThat(expected.rows()).containsExactly(new ExerciseExpectations.Row("LT", "~50,000", "2", "15", "~1"));
    }

    @Test
    void aDocumentWithoutTheTableFailsSayingSo() {
        assertThatThrownBy(() -> ExerciseExpectations.parse("no table here"))
                .hasMessageContaining("docs/exercise.md has no <!-- exercise:expected -->");
    }
}
