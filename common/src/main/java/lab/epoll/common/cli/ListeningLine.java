package lab.epoll.common.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import lab.epoll.common.server.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one line on stdout that says a server is up, the same from every server: {@code listening on HOST:PORT
 * (SETTINGS, pid=PID)}. Scripts and the tests read the address from it, and the pid to find the server's
 * {@code /proc} entries; a server listening beyond loopback also says so on stderr.
 */
public final class ListeningLine {
    private static final Logger log = LoggerFactory.getLogger(ListeningLine.class);

    private ListeningLine() {}

    public static void print(PrintWriter out, InetSocketAddress bound, String settings) {
        // The pid last, so scripts can find this server without a pgrep that also matches others' servers.
        out.println("listening on " + HostPort.format(bound) + " (" + settings + ", pid="
                + ProcessHandle.current().pid() + ")");
        out.flush();
        if (!bound.getAddress().isLoopbackAddress()) {
            // The default is loopback; anything else is reachable from other hosts, which should never be a surprise.
            log.warn(
                    "listening beyond loopback on {}: other hosts can connect, as far as firewalls let them",
                    HostPort.format(bound));
        }
    }
}
