package lab.epoll.jmh.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.ServerOption.Name;

/**
 * Where the harness starts its servers: here, or in another network namespace at that namespace's own address
 * ({@code -p serverNetns=NAME@ADDR}, e.g. {@code lab-srv@10.231.0.1} from {@code tools/two-namespaces/netns.sh}),
 * so that the client, run in the load namespace, reaches the server over a veth pair instead of loopback. The
 * server is still a process of this machine: /proc, perf and the CPU pinning work as they do here.
 */
record ServerNamespace(String name, String address) {
    private static final Pattern FORM = Pattern.compile("([A-Za-z0-9_.-]+)@([0-9A-Fa-f:.]+)");
    static final ServerNamespace HERE = new ServerNamespace("", "");

    static ServerNamespace parse(String text) {
        if (text == null || text.isBlank()) {
            return HERE;
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "serverNetns '" + text + "' is not NAME@ADDRESS, e.g. lab-srv@10.231.0.1");
        }
        return new ServerNamespace(m.group(1), m.group(2));
    }

    boolean here() {
        return name.isEmpty();
    }

    /** The command prefix that runs the server in the namespace (it execs, so the pid is the server's). */
    List<String> commandPrefix() {
        return here() ? List.of() : List.of("ip", "netns", "exec", name);
    }

    /** The server's options that bind it to the namespace's address. */
    List<String> serverArgs() {
        return here() ? List.of() : List.of(Name.HOST, address);
    }
}
