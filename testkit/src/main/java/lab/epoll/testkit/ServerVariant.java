package lab.epoll.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One way of running the echo server, as tests and benchmarks see it: a runnable jar, the JVM flags it needs and
 * what its epoll registrations must look like. Adding a variant here adds it to every parameterized test.
 *
 * @param name              short name used in test and benchmark output, e.g. {@code et}
 * @param jar               the runnable jar, relative to the lab's root
 * @param jvmArgs           extra JVM flags for this variant
 * @param serverArgs        extra server flags for this variant
 * @param epollet           whether accepted sockets must be registered with EPOLLET
 * @param oneshot           whether accepted sockets must be registered with EPOLLONESHOT
 */
public record ServerVariant(String name, String jar, List<String> jvmArgs, List<String> serverArgs,
                            boolean epollet, boolean oneshot) {

    public static final ServerVariant LT =
            new ServerVariant("lt", "lt-server/target/lt-server.jar", List.of(), List.of(), false, false);
    public static final ServerVariant ET =
            new ServerVariant("et", "et-server/target/et-server.jar", List.of(), List.of(), true, false);
    /**
     * ONESHOT emulated on Netty: AUTO_READ off, reads handed to a worker pool. Sockets keep Netty's default
     * registration, EPOLLET (fdinfo shows EPOLLET|EPOLLRDHUP, plus EPOLLIN while a read is pending), never
     * EPOLLONESHOT.
     */
    public static final ServerVariant ONESHOT_NETTY = new ServerVariant("oneshot-netty",
            "oneshot-server/target/oneshot-server.jar", List.of(), List.of("--engine", "netty"), true, false);
    /** The kernel's EPOLLONESHOT: worker threads sharing one epoll set, sockets EPOLLIN|EPOLLRDHUP|EPOLLONESHOT. */
    public static final ServerVariant ONESHOT_KERNEL = new ServerVariant("oneshot-kernel",
            "oneshot-server/target/oneshot-server.jar", List.of(), List.of("--engine", "kernel"), false, true);

    /** Baseline: Netty's NIO transport on the JDK's epoll selector (level-triggered, no EPOLLRDHUP). */
    public static final ServerVariant NIO_EPOLL = new ServerVariant("nio-epoll", "nio-server/target/nio-server.jar",
            List.of("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider"), List.of(),
            false, false);
    /** Baseline: Netty's NIO transport on the JDK's poll(2) selector: no epoll instance at all. */
    public static final ServerVariant NIO_POLL = new ServerVariant("nio-poll", "nio-server/target/nio-server.jar",
            List.of("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider"), List.of(),
            false, false);

    /** Every variant the lab has; parameterized tests and the benchmark run over this list. */
    public static List<ServerVariant> all() {
        return List.of(LT, ET, ONESHOT_NETTY, ONESHOT_KERNEL, NIO_EPOLL, NIO_POLL);
    }

    /** Looks a variant up by its short name, e.g. {@code et}. */
    public static ServerVariant named(String name) {
        return all().stream().filter(v -> v.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant '" + name + "'; known: " + all()));
    }

    /** False for the poll(2) baseline, the one variant that waits without an epoll instance. */
    public boolean usesEpoll() {
        return !jvmArgs.contains("-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider");
    }

    /** True for variants on Netty's native epoll library; the NIO baselines need only the JDK. */
    public boolean nativeTransport() {
        return !jar.startsWith("nio-server/");
    }

    /** The command name the jar prints in its messages, e.g. {@code lt-server}. */
    public String commandName() {
        return Path.of(jar).getFileName().toString().replaceFirst("\\.jar$", "");
    }

    public Path jarPath() {
        Path path = LabPaths.root().resolve(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: build it first (mvn -B package, or mvn -B verify)");
        }
        return path;
    }

    @Override
    public String toString() {
        return name;
    }
}
