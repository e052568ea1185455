package lab.epoll.common.server;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The open-file limit, and the connection limit derived from it: each connection is one fd, and the server needs
 * some of its own (listeners, each event loop's epoll, eventfd and timerfd, the JVM's jars and logs). A tenth of
 * the limit plus 64 stays free, so a full server refuses new connections one by one instead of failing accept(2)
 * with EMFILE for everyone.
 */
public final class OpenFiles {
    private OpenFiles() {}

    /** The soft RLIMIT_NOFILE, or 0 where the JVM cannot tell. */
    public static long limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : 0;
    }

    /** The default {@code --max-connections}: the limit less its headroom, or 0 (none) when too few fds remain. */
    public static int defaultMaxConnections() {
        long limit = limit();
        long connections = limit - (64 + limit / 10);
        return connections < 1 ? 0 : (int) Math.min(connections, Integer.MAX_VALUE);
    }
}
