package lab.epoll.behaviour;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lab.epoll.testkit.ServerProcess;
import lab.epoll.catalog.ServerVariant;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts server processes for one test and holds every one of them to the same end: after the test, each server
 * still running gets {@link ServerUnderTest#stop()} (SIGTERM, exit 0, no Netty leak report), and is killed if that
 * fails, so one broken test cannot leave a JVM behind for the next.
 *
 * <p>Register it as an instance field ({@code @RegisterExtension final RunningServers servers = ...}): the
 * variant is a test parameter, so tests start their own server with the options the behaviour needs. Servers
 * are started with the test JVM flags (paranoid leak detection) and, unless the test sets it,
 * {@code --stats-interval 200ms}, so tests can wait for the server's own counters. A test about timers passes
 * {@code --stats-interval 0}: the stats timer wakes an event loop every 200 ms and could hide a missed wake-up.
 */
final class RunningServers implements AfterEachCallback {
    private final List<ServerUnderTest> servers = new ArrayList<>();

    ServerUnderTest start(ServerVariant variant, String... serverArgs) {
        return track(variant, ServerProcess.start(variant, withStats(serverArgs)));
    }

    /** Starts the server under {@code ulimit -n limit} (soft and hard), through {@link ServerProcess#openFileLimit}. */
    ServerUnderTest startWithOpenFileLimit(int limit, ServerVariant variant, String... serverArgs) {
        return track(variant, ServerProcess.startWrapped(ServerProcess.openFileLimit(limit), variant,
                withStats(serverArgs)));
    }

    private ServerUnderTest track(ServerVariant variant, ServerProcess process) {
        try {
            ServerUnderTest server = new ServerUnderTest(variant, process);
            servers.add(server);
            return server;
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private static String[] withStats(String... serverArgs) {
        if (Arrays.asList(serverArgs).contains("--stats-interval")) {
            return serverArgs;
        }
        List<String> args = new ArrayList<>(Arrays.asList(serverArgs));
        args.add("--stats-interval");
        args.add(ServerUnderTest.STATS_INTERVAL);
        return args.toArray(String[]::new);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        AssertionError failure = null;
        for (ServerUnderTest server : servers) {
            try {
                if (!server.stopped()) {
                    server.stop();
                }
            } catch (Throwable t) {
                if (failure == null) {
                    failure = new AssertionError(server.variant() + " server did not stop cleanly", t);
                } else {
                    failure.addSuppressed(t);
                }
            } finally {
                server.kill();
            }
        }
        servers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
