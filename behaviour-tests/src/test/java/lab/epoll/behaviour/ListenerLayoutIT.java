package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.epoll.catalog.EpollFlags;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ProcFs.EpollRegistration;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How several threads share a listener is a fact about epoll sets, and the kernel's own record says it:
 * {@code /proc/PID/fdinfo} of each epoll fd lists the listening sockets registered there and their flags. The
 * accept strategies of raw-server must look like what they claim (one listener in every loop's set, the same with
 * {@code EPOLLEXCLUSIVE}, a listener per loop, one acceptor's set); Netty with several event loops registers its
 * listener in one loop's set only, so it has no herd to begin with, and with {@code --listeners N} one per set.
 */
class ListenerLayoutIT {
    private static final int LOOPS = ServerVariant.RAW_STRATEGY_THREADS;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /**
     * What the kernel holds: the epoll sets, how many sets each listening socket is in, and which flags those
     * registrations carry beyond the mode's.
     */
    record ListenerLayout(int epollSets, List<Integer> setsPerListener, boolean exclusive) {}

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(ServerVariant.RAW_HERD, List.of(), new ListenerLayout(LOOPS, List.of(LOOPS), false)),
                Arguments.of(ServerVariant.RAW_EXCLUSIVE, List.of(), new ListenerLayout(LOOPS, List.of(LOOPS), true)),
                Arguments.of(
                        ServerVariant.RAW_REUSEPORT,
                        List.of(),
                        new ListenerLayout(LOOPS, java.util.Collections.nCopies(LOOPS, 1), false)),
                Arguments.of(ServerVariant.RAW_ACCEPTOR, List.of(), new ListenerLayout(LOOPS + 1, List.of(1), false)),
                Arguments.of(ServerVariant.ET, List.of("--io-threads", "2"), new ListenerLayout(2, List.of(1), false)),
                Arguments.of(
                        ServerVariant.ET,
                        List.of("--io-threads", "2", "--listeners", "2"),
                        new ListenerLayout(2, List.of(1, 1), false)));
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layouts")
    void theKernelHoldsTheListenersWhereTheStrategySays(
            ServerVariant variant, List<String> args, ListenerLayout expected) {
        assertThat(layoutOf(servers.start(variant, args.toArray(String[]::new))))
                .isEqualTo(expected);
    }

    /** The negative control: the check tells the herd from EPOLLEXCLUSIVE and from one listener per loop. */
    @Test
    void theLayoutTellsTheStrategiesApart() {
        ListenerLayout herd = layoutOf(servers.start(ServerVariant.RAW_HERD));
        assertThat(herd)
                .isNotEqualTo(new ListenerLayout(LOOPS, List.of(LOOPS), true))
                .isNotEqualTo(new ListenerLayout(LOOPS, java.util.Collections.nCopies(LOOPS, 1), false));
    }

    /**
     * Read once every loop is running: after one echo, so that Netty has started the loop its listener is on
     * (the other loop's set exists from the group's start).
     */
    private static ListenerLayout layoutOf(ServerProcess server) {
        byte[] hello = "layout".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = server.connect()) {
            assertThat(client.roundTrip(hello)).isEqualTo(hello);
        }
        long pid = server.pid();
        Set<Long> listening = ProcFs.tcpSockets(pid).values().stream()
                .filter(s -> s.state() == LISTEN)
                .map(ProcFs.TcpSocket::inode)
                .collect(Collectors.toSet());
        List<EpollRegistration> registrations = ProcFs.epollRegistrations(pid);
        Map<Long, List<EpollRegistration>> byListener = registrations.stream()
                .filter(r -> r.fdTarget().startsWith("socket:") && listening.contains(ProcFs.socketInode(r.fdTarget())))
                .collect(Collectors.groupingBy(r -> ProcFs.socketInode(r.fdTarget())));
        Set<Integer> sets = new TreeSet<>();
        ProcFs.fds(pid).forEach((fd, target) -> {
            if (target.equals("anon_inode:[eventpoll]")) {
                sets.add(fd);
            }
        });
        List<Integer> setsPerListener = byListener.values().stream()
                .map(rs -> (int) rs.stream()
                        .mapToInt(EpollRegistration::epollFd)
                        .distinct()
                        .count())
                .sorted()
                .toList();
        boolean exclusive =
                byListener.values().stream().flatMap(List::stream).anyMatch(r -> r.has(EpollFlags.EPOLLEXCLUSIVE));
        return new ListenerLayout(sets.size(), setsPerListener, exclusive);
    }

    /** {@code /proc/net/tcp}'s code for a listening socket. */
    private static final int LISTEN = 0x0A;
}
