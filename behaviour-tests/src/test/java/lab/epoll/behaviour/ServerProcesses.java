package lab.epoll.behaviour;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The server processes one test started, each held to the same end: after the test, every one of them gets
 * {@link ServerProcess#stopChecked()} (leak probe, SIGTERM, exit 0, no Netty leak report) unless the test already
 * ended it that way, and is killed if that fails, so one broken test cannot leave a JVM behind for the next.
 *
 * <p>Register it as an instance field ({@code @RegisterExtension final ServerProcesses servers = ...}): the
 * variant is a test parameter, so tests start their own server with the options the behaviour needs. Servers
 * are started on a free port with the test JVM flags (paranoid leak detection) and, when the variant keeps
 * counters ({@link Feature#COUNTERS}), with {@code --stats-interval 200ms}, so tests can wait for the server's own
 * counters. A test about timers registers {@link #withoutStatsTimer()} instead: the stats timer wakes an event
 * loop every 200 ms and could hide a missed wake-up.
 */
final class ServerProcesses implements AfterEachCallback {
    static final String STATS_INTERVAL = "200ms";

    private final boolean statsTimer;
    private final List<ServerProcess> servers = new ArrayList<>();

    /** Servers that log their counters every {@value #STATS_INTERVAL}, if they keep counters. */
    ServerProcesses() {
        this(true);
    }

    private ServerProcesses(boolean statsTimer) {
        this.statsTimer = statsTimer;
    }

    /** Servers that run no stats timer: for tests about timers, which a 200 ms wake-up could mask. */
    static ServerProcesses withoutStatsTimer() {
        return new ServerProcesses(false);
    }

    ServerProcess start(ServerVariant variant, String... serverArgs) {
        return track(ServerProcess.start(variant, withStats(variant, serverArgs)));
    }

    /** Starts the server with JVM flags of the test's own after the test JVM flags, e.g. a Netty switch. */
    ServerProcess startWithJvmArgs(List<String> jvmArgs, ServerVariant variant, String... serverArgs) {
        List<String> jvm = new ArrayList<>(ServerProcess.TEST_JVM_ARGS);
        jvm.addAll(jvmArgs);
        List<String> args = new ArrayList<>(List.of(Name.PORT, "0"));
        args.addAll(List.of(withStats(variant, serverArgs)));
        return track(ServerProcess.start(variant, jvm, args.toArray(String[]::new)));
    }

    /** Starts the server on {@code cpus} only ({@code taskset -c}), e.g. to share its CPU with a known load. */
    ServerProcess startPinned(CpuSet cpus, ServerVariant variant, String... serverArgs) {
        return track(ServerProcess.startWrapped(
                List.of("taskset", "-c", cpus.text()), variant, withStats(variant, serverArgs)));
    }

    /** Starts the server under {@code ulimit -n limit} (soft and hard), through {@link ServerProcess#openFileLimit}. */
    ServerProcess startWithOpenFileLimit(int limit, ServerVariant variant, String... serverArgs) {
        return track(ServerProcess.startWrapped(
                ServerProcess.openFileLimit(limit), variant, withStats(variant, serverArgs)));
    }

    private ServerProcess track(ServerProcess server) {
        servers.add(server);
        return server;
    }

    private String[] withStats(ServerVariant variant, String... serverArgs) {
        if (!statsTimer
                || !variant.has(Feature.COUNTERS)
                || Arrays.asList(serverArgs).contains(Name.STATS_INTERVAL)) {
            return serverArgs;
        }
        List<String> args = new ArrayList<>(Arrays.asList(serverArgs));
        args.add(Name.STATS_INTERVAL);
        args.add(STATS_INTERVAL);
        return args.toArray(String[]::new);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AssertionError failure = null;
        for (ServerProcess server : servers) {
            try {
                server.stopChecked();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = new AssertionError(server.variant() + " server did not stop cleanly", t);
                } else {
                    failure.addSuppressed(t);
                }
            } finally {
                server.close();
            }
        }
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
