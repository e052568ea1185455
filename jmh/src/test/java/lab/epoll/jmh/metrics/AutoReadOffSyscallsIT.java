package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import lab.epoll.catalog.ServerVariant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where edge-triggered mode could have differed under Netty: with {@code AUTO_READ} off a level-triggered socket
 * must lose {@code EPOLLIN} between reads (or epoll would report it forever), while an edge-triggered one need
 * not (netty/netty#9348 proposed exactly that saving). Netty 4.1.137 toggles it in both modes, so
 * {@code oneshot-netty} (AUTO_READ off, {@code read()} to re-arm) pays two {@code epoll_ctl} per echo either way;
 * {@code et} with AUTO_READ on is the control that pays none.
 */
class AutoReadOffSyscallsIT {
    private static final int ECHOES = 2000;

    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(ServerVariant.ONESHOT_NETTY, "--epoll-mode EDGE_TRIGGERED", 2.0),
                Arguments.of(ServerVariant.ONESHOT_NETTY, "--epoll-mode LEVEL_TRIGGERED", 2.0),
                Arguments.of(ServerVariant.ET, "", 0.0));
    }

    @ParameterizedTest(name = "{0} {1}: {2} epoll_ctl per echo")
    @MethodSource("modes")
    void epollCtlPerEcho(ServerVariant variant, String serverArgs, double expected) throws Exception {
        OneClientCount run = OneClientCount.of(variant, serverArgs, ECHOES);
        assertThat(run.perEcho(run.counts().epollCtls()))
                .as("%d epoll_ctl over %d echoes", run.counts().epollCtls(), run.echoes())
                .isCloseTo(expected, within(0.02));
    }
}
