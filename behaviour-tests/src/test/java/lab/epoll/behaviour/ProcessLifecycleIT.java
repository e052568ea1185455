package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A server process as a user meets it: the exit-code contract (0 after a signal, 1 when it cannot run, 2 for a
 * bad command line), one clear line instead of a stack trace, a summary at shutdown, and signals that work.
 *
 * <p>A server that runs until a signal ends through {@link ServerProcess#stopChecked} (leak probe, exit 0, no
 * leak report, the summary); the tests about other endings (a second signal, a bad option, a busy port) watch
 * the process themselves.
 *
 * <p>Its cases run side by side: each has a server of its own on a port of its own, and none measures time or
 * the machine.
 */
class ProcessLifecycleIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void sigtermShutsDownGracefullyWithASummary(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.COUNTERS), () -> variant + " prints no summary");
        ServerProcess server = servers.start(variant);
        byte[] line = "Hello, epoll!\n".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = server.connect()) {
            assertThat(client.roundTrip(line)).isEqualTo(line);
        }
        server.stopChecked("TERM");
        assertThat(server.stdout())
                .as("the summary is the last line on stdout")
                .last()
                .asString()
                .startsWith("stopped: ");
        ServerCounters summary = server.summary();
        long connections = 1 + ServerProcess.LEAK_PROBE_CONNECTIONS;
        long bytes = line.length + ServerProcess.LEAK_PROBE_BYTES;
        assertThat(summary.accepted())
                .as("accepted: our client and the leak probe")
                .isEqualTo(connections);
        assertThat(summary.closed()).as("closed").isEqualTo(connections);
        assertThat(summary.active()).as("active").isZero();
        assertThat(summary.bytesIn()).as("bytes-in").isEqualTo(bytes);
        assertThat(summary.bytesOut()).as("bytes-out").isEqualTo(bytes);
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void sigintShutsDownGracefullyToo(ServerVariant variant) {
        ServerProcess server = servers.start(variant);
        assertThat(server.stdout().get(0))
                .as("the listening line names the process to signal")
                .endsWith(", pid=" + server.pid() + ")");
        server.stopChecked("INT");
        if (variant.has(Feature.COUNTERS)) {
            assertThat(server.stdout())
                    .as("the summary is the last line on stdout")
                    .last()
                    .asString()
                    .startsWith("stopped: ");
        }
    }

    /**
     * SIGHUP (the terminal of an ssh session closing) drains like SIGTERM: before, the JVM's default killed the
     * server at once with exit 129, no log line and every connection reset.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void sighupDrainsOpenConnectionsAndExitsZero(ServerVariant variant) throws java.io.IOException {
        Assumptions.assumeFalse(
                sighupIgnoredHere(),
                "SIGHUP is ignored in this JVM (run under nohup?), and so in the "
                        + "servers it starts: a JVM leaves an inherited SIG_IGN alone, as nohup intends");
        ServerProcess server = servers.start(variant);
        byte[] line = "Hello, hangup!\n".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient client = server.connect()) {
            assertThat(client.roundTrip(line)).isEqualTo(line);
            server.signal("HUP");
            server.awaitValue(
                    "the SIGHUP line in the log",
                    server::logLines,
                    lines -> lines.stream().anyMatch(l -> l.contains("SIGHUP received")));
            if (variant.has(Feature.GRACEFUL_DRAIN)) {
                assertThat(client.roundTrip(line))
                        .as("an open connection is still served while draining")
                        .isEqualTo(line);
            }
        }
        server.awaitGracefulExit(ServerProcess.WAIT);
    }

    /** Whether this process ignores SIGHUP ({@code SigIgn} in {@code /proc/self/status}, bit 0 for signal 1). */
    private static boolean sighupIgnoredHere() throws java.io.IOException {
        return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l ->
                        (Long.parseUnsignedLong(l.substring("SigIgn:".length()).trim(), 16) & 1) != 0);
    }

    /** Listening on more than loopback is said on stderr; on loopback (the default) nothing is. */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void listeningBeyondLoopbackIsWarnedAbout(ServerVariant variant) {
        String warning = "listening beyond loopback";
        // The warning follows the listening line, from another stream: wait for it, and judge the quiet server
        // only once it has exited and said all it will.
        ServerProcess wide = servers.start(variant, "--host", "0.0.0.0");
        wide.awaitValue(
                "the warning on stderr", wide::logLines, lines -> lines.stream().anyMatch(l -> l.contains(warning)));
        wide.stopChecked();
        ServerProcess local = servers.start(variant);
        local.stopChecked();
        assertThat(local.logLines()).as("stderr of a server on loopback").noneMatch(l -> l.contains(warning));
    }

    /**
     * {@code --host 0.0.0.0} means IPv4, as a user reads it: IPv4 clients get echoes, an IPv6 client on ::1 is
     * refused. A dual-stack socket (what Netty opens by default) listened on IPv6 too. Netty's io_uring server
     * channels cannot be opened IPv4-only: those variants say so on stderr, and do accept the IPv6 client.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void theIpv4WildcardListensOnIpv4Only(ServerVariant variant) {
        ServerProcess server = servers.start(variant, "--host", "0.0.0.0");
        byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
        try (EchoClient v4 = EchoClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
            assertThat(v4.roundTrip(ping)).as("an IPv4 client").isEqualTo(ping);
        }
        boolean v6 = connects(new InetSocketAddress("::1", server.port()));
        if (variant.ioModel().dualStackOnly()) {
            assertThat(v6)
                    .as("%s cannot listen IPv4-only: an IPv6 client connects", variant)
                    .isTrue();
            server.awaitValue(
                    "the dual-stack warning on stderr",
                    server::logLines,
                    lines -> lines.stream().anyMatch(l -> l.contains("listens on IPv6 (::) too")));
        } else {
            assertThat(v6).as("an IPv6 client on ::1 of a server on 0.0.0.0").isFalse();
        }
        server.stopChecked();
    }

    private static boolean connects(InetSocketAddress address) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(address, 5_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aSecondSignalExitsAtOnceInsteadOfWaitingOutTheGrace(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.GRACEFUL_DRAIN), () -> variant + " does not wait for anything");
        List<String> options = new ArrayList<>(List.of("--shutdown-grace", "60s"));
        if (variant.has(Feature.IDLE_TIMEOUT)) {
            options.addAll(List.of("--idle-timeout", "0")); // the open connection must not end as idle meanwhile
        }
        try (ServerProcess server = ServerProcess.start(variant, options.toArray(String[]::new));
                EchoClient idle = server.connect()) {
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            assertThat(idle.roundTrip(ping)).isEqualTo(ping);
            server.signal("TERM");
            // The open connection holds the server in its 60 s grace period...
            await().atMost(EXIT_TIMEOUT)
                    .until(() -> server.stderr().stream().anyMatch(l -> l.contains("SIGTERM received")));
            assertThat(server.isAlive()).isTrue();
            // ...until the operator insists.
            server.signal("TERM");
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isEqualTo(128 + 15);
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aBusyPortExitsOneWithOneLineNamingTheAddress(ServerVariant variant) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            try (ServerProcess server =
                    ServerProcess.launch(variant, ServerProcess.TEST_JVM_ARGS, "--port", Integer.toString(port))) {
                assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isEqualTo(1);
                assertThat(server.stderr())
                        .containsExactly(variant.commandName() + ": cannot listen on 127.0.0.1:" + port
                                + ": Address already in use");
                assertThat(server.stdout()).isEmpty();
            }
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void anUnresolvableHostExitsOne(ServerVariant variant) {
        try (ServerProcess server = ServerProcess.launch(
                variant, ServerProcess.TEST_JVM_ARGS, "--host", "no-such-host.invalid", "--port", "0")) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isEqualTo(1);
            assertThat(server.stderr())
                    .singleElement()
                    .asString()
                    .contains("cannot resolve host 'no-such-host.invalid'");
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void withoutEpollTheServerSaysWhyAndExitsOne(ServerVariant variant) {
        // Netty's own switch to refuse its native transports: the closest we get to a machine without epoll.
        List<String> noNative = List.of("-Dio.netty.transport.noNative=true");
        if (!variant.nativeTransport()) {
            // The NIO baselines never needed the native library: they must run as usual, and stop checked.
            servers.startWithJvmArgs(noNative, variant).stopChecked();
            return;
        }
        try (ServerProcess server = ServerProcess.launch(variant, noNative, "--port", "0")) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isEqualTo(1);
            assertThat(server.stderr())
                    .singleElement()
                    .asString()
                    .contains(variant.ioModel().kernelApi() + " is not available");
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aBadOptionExitsTwoWithOneLineNamingIt(ServerVariant variant) {
        try (ServerProcess server = ServerProcess.launch(variant, ServerProcess.TEST_JVM_ARGS, "--port", "http")) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isEqualTo(2);
            assertThat(server.stderr())
                    .singleElement()
                    .asString()
                    .contains("Invalid value for option '--port'")
                    .doesNotContain("Exception");
        }
    }

    /**
     * A jar's help lists the options of its variants' features, and none that no variant of the jar honours (a
     * transport's refused knobs, an option the recipes fix): one jar may serve several variants, so an option
     * any of them honours stays listed, and the jar refuses it for the others.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void helpDocumentsEveryOptionItHonoursAndExitsZero(ServerVariant variant) {
        try (ServerProcess server = ServerProcess.launch(variant, ServerProcess.TEST_JVM_ARGS, "--help")) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as(server.output()).isZero();
            String help = String.join("\n", server.stdout());
            assertThat(help).contains("--help", "--version");
            for (ServerOption option : ServerOption.values()) {
                if (option.group() == ServerOption.Group.JAR_OWN) {
                    continue; // one jar's own: its own tests
                }
                String listed = "(?m)^\\s+(-\\w, )?" + Pattern.quote(inHelp(option)) + "(=|\\s|$)";
                if (honouredByTheJarOf(variant, option)) {
                    assertThat(help)
                            .as("the options %s lists", variant.commandName())
                            .containsPattern(listed);
                } else {
                    assertThat(help)
                            .as("the options %s lists", variant.commandName())
                            .doesNotContainPattern(listed);
                    if (variant.has(Feature.SERVER_OPTIONS)) {
                        // The shared options it has no knob for: named apart, each with why, and when refused.
                        assertThat(help)
                                .contains("Refused whenever given, even at the default value")
                                .containsPattern("(?m)^  (--[\\w-]+, )*" + Pattern.quote(option.longName())
                                        + "(, --[\\w-]+)*: \\w");
                    }
                }
            }
            assertThat(help).contains("(default: 127.0.0.1)");
            if (variant.has(Feature.IDLE_TIMEOUT)) {
                assertThat(help).as("--idle-timeout's default").contains("(default: 60s)");
                assertThat(help)
                        .as("how DURATION and SIZE values are written")
                        .contains("DURATION: a whole number")
                        .contains("SIZE: a whole number");
            }
        }
    }

    /** Whether a variant of the same jar has the option's feature (the address: every one) and not refuses it. */
    private static boolean honouredByTheJarOf(ServerVariant variant, ServerOption option) {
        return ServerVariant.all().stream()
                .filter(sameJar -> sameJar.jar().equals(variant.jar()))
                .anyMatch(sameJar -> option.feature().map(sameJar::has).orElse(true)
                        && !sameJar.ioModel().refuses(option));
    }

    /** How {@code --help} spells an option: picocli writes a negatable one {@code --[no-]NAME}. */
    private static String inHelp(ServerOption option) {
        return option == ServerOption.TCP_NODELAY
                ? "--[no-]" + option.longName().substring(2)
                : option.longName();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void listensOnIpv6Loopback(ServerVariant variant) {
        ServerProcess server = servers.start(variant, "--host", "::1");
        assertThat(server.stdout().get(0)).startsWith("listening on [::1]:" + server.port() + " (");
        try (EchoClient client = EchoClient.connect(new InetSocketAddress("::1", server.port()))) {
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            assertThat(client.roundTrip(ping)).isEqualTo(ping);
        }
    }
}
