package lab.epoll.jmh.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's record of a listener's accept queue: how many completed connections wait in it for
 * {@code accept(2)} (what {@code ss -ltn} shows as Recv-Q), and how many the kernel dropped because it was full
 * ({@code TcpExt ListenOverflows}, what {@code nstat} shows). A server whose loop accepts too slowly shows both.
 */
public final class ListenQueue {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String LISTEN = "0A";

    private ListenQueue() {}

    /**
     * Connections waiting to be accepted on {@code port}, over its listeners (IPv4 and IPv6); -1 when no listener
     * is found. For a listening socket the kernel prints the accept queue's length as {@code rx_queue}.
     */
    public static long backlog(int port) {
        String localPort = String.format(":%04X", port);
        long total = -1;
        for (Path table : TABLES) {
            try (BufferedReader reader = Files.newBufferedReader(table)) {
                reader.readLine(); // header
                String line;
                while ((line = reader.readLine()) != null) {
                    // sl local_address rem_address st tx_queue:rx_queue ...
                    String[] f = line.trim().split("\\s+", 6);
                    if (!f[3].equals(LISTEN)) {
                        break; // the kernel lists listeners first
                    }
                    if (f[1].endsWith(localPort)) {
                        total = Math.max(total, 0) + Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // No such table (IPv6 off) or an unexpected line: this table tells nothing.
            }
        }
        return total;
    }

    /** The machine's (network namespace's) {@code TcpExt ListenOverflows} so far; -1 when unreadable. */
    public static long overflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String[] names = lines.get(i).split("\\s+");
                String[] values = lines.get(i + 1).split("\\s+");
                if (!names[0].equals("TcpExt:")) {
                    continue;
                }
                for (int k = 1; k < names.length && k < values.length; k++) {
                    if (names[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or a format we do not know.
        }
        return -1;
    }
}
