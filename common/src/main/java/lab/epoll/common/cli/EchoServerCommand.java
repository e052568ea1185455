package lab.epoll.common.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.common.metrics.ServerMetrics;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.HostPort;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.server.ShutdownSignals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The life of a server process, the same for every variant: validate options, start, print the
 * {@code listening on} line, serve until SIGTERM/SIGINT, shut down gracefully, print the summary, exit 0.
 * A variant only says which {@link LabServer} it runs.
 */
public abstract class EchoServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EchoServerCommand.class);

    @Mixin
    protected ServerOptions options;

    @Spec
    protected CommandSpec spec;

    /** The server this variant exists to show; called after the options are parsed and validated. */
    protected abstract LabServer newServer(ServerOptions options);

    /** Options of the variant's own to check, beyond the shared ones; throw a ParameterException to reject. */
    protected void validate() {}

    /**
     * The groups of shared options this command never honours, whatever its other flags, each with why:
     * {@code --help} lists them apart with their reasons, and they are refused whenever given. A command whose
     * engines or transports differ refuses a group for one of them in {@link #validate()} with
     * {@link #refuseIfGiven} and keeps it listed, since the other honours it.
     */
    protected Map<Group, String> refusedGroups() {
        return Map.of();
    }

    /**
     * Refuses the first option (in {@code --help} order) of {@code reasons}' groups that the command line gives,
     * even at its default value, with its group's reason: exit 2 and one line,
     * {@code Invalid value for option '--io-threads': WHY}. Given, not set away from its default: a server that
     * has no such knob takes no value for it, and a command line that names it expects one.
     */
    protected void refuseIfGiven(Map<Group, String> reasons) {
        ParseResult given = spec.commandLine().getParseResult();
        for (ServerOption option : ServerOption.of(reasons.keySet())) {
            if (given.hasMatchedOption(option.longName())) {
                throw new ParameterException(
                        spec.commandLine(),
                        "Invalid value for option '" + option + "': " + reasons.get(option.group()));
            }
        }
    }

    @Override
    public Integer call() throws ServerStartException, InterruptedException {
        // A knob the server does not have goes first: no range of it is worth checking.
        refuseIfGiven(refusedGroups());
        options.validate();
        validate();
        LabServer server = newServer(options);
        ShutdownSignals signals = ShutdownSignals.install();
        InetSocketAddress bound = server.start();
        ServerMetrics metrics = null;
        if (options.metricsPort().isPresent()) {
            try {
                metrics = ServerMetrics.serve(
                        server,
                        bound.getAddress().getHostAddress(),
                        options.metricsPort().getAsInt());
            } catch (IOException e) {
                server.stop(Duration.ZERO);
                throw new ServerStartException(
                        "cannot serve metrics on port " + options.metricsPort().getAsInt() + ": " + ErrorText.of(e), e);
            }
        }

        PrintWriter out = spec.commandLine().getOut();
        ListeningLine.print(
                out,
                bound,
                settings(server)
                        + (metrics == null
                                ? ""
                                : ", metrics="
                                        + HostPort.format(new InetSocketAddress(bound.getAddress(), metrics.port()))
                                        + "/metrics"));

        String signal = signals.awaitFirst();
        Duration grace = options.shutdownGrace();
        log.info(
                "{} received: refusing new connections, draining for up to {}",
                signal,
                DurationConverter.format(grace));
        server.stop(grace);
        if (metrics != null) {
            metrics.close();
        }
        PeerFailureLog.flush();
        out.println("stopped: " + server.stats());
        out.flush();
        return 0;
    }

    private String settings(LabServer server) {
        StringBuilder s = new StringBuilder(server.describe())
                .append(", idle-timeout=")
                .append(DurationConverter.format(options.idleTimeout()));
        if (options.minProgress() > 0) {
            s.append(", min-progress=").append(ByteSizeConverter.format(options.minProgress()));
        }
        if (options.listeners() > 1) {
            s.append(", listeners=").append(options.listeners());
        }
        if (options.maxConnections() > 0) {
            s.append(", max-connections=").append(options.maxConnections());
        }
        if (options.maxPendingBytes() > 0) {
            s.append(", max-pending-bytes=").append(ByteSizeConverter.format(options.maxPendingBytes()));
        }
        return s.toString();
    }
}
