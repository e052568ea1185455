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

    /** Every variant the lab has; parameterized tests and the benchmark run over this list. */
    public static List<ServerVariant> all() {
        return List.of(LT, ET, ONESHOT_NETTY, ONESHOT_KERNEL);
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
