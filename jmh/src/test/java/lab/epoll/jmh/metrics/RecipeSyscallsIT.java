package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import lab.epoll.catalog.ServerVariant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The raw servers do what their recipes say, counted by the kernel at one client with 128-byte echoes (each
 * request arrives whole and fits one read):
 * <ul>
 *   <li>raw-lt reads once per wake-up, so its reads are its echoes and it spends no read on {@code EAGAIN};</li>
 *   <li>raw-et reads until {@code EAGAIN}, so each wake-up ends in exactly one read that finds nothing: its reads
 *       are its echoes plus its {@code epoll_wait} calls. (Not simply two reads per echo: on loopback the next
 *       request sometimes arrives before the draining read, which then returns data instead of {@code EAGAIN}
 *       and saves a wake-up.)</li>
 * </ul>
 * Each variant's figure is the other's failure, so the check can tell the recipes apart. Neither server calls
 * {@code epoll_ctl} once a connection is registered: its echo always fits, so {@code EPOLLOUT} is never armed.
 */
class RecipeSyscallsIT {
    private static final int ECHOES = 3000;

    static Stream<Arguments> recipes() {
        return Stream.of(Arguments.of(ServerVariant.RAW_LT, 0.0), Arguments.of(ServerVariant.RAW_ET, 1.0));
    }

    @ParameterizedTest(name = "{0}: {1} EAGAIN reads per wake-up")
    @MethodSource("recipes")
    void eachWakeUpEndsTheWayTheRecipeSays(ServerVariant variant, double eagainReadsPerWakeUp) throws Exception {
        OneClientCount run = OneClientCount.of(variant, "", ECHOES);
        SyscallCounts counts = run.counts();
        long waits = counts.epollWaits();
        assertThat((double) (counts.reads() - run.echoes()) / waits)
                .as("%d reads, %d echoes, %d epoll_waits", counts.reads(), run.echoes(), waits)
                .isCloseTo(eagainReadsPerWakeUp, within(0.05));
        assertThat(run.perEcho(counts.writes())).as("write calls per echo").isCloseTo(1.0, within(0.01));
        assertThat(counts.epollCtls())
                .as("epoll_ctl calls over %d echoes", run.echoes())
                .isZero();
    }
}
