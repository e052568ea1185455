package lab.epoll.raw;

import java.util.Map;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code raw-server} command: the exercise's single-threaded echo server on raw epoll, level-triggered
 * ({@code --mode lt}) or edge-triggered ({@code --mode et}), with the shared options, counters, idle timeout and
 * graceful shutdown. See {@link Mode} for the two recipes and {@link RawEchoServer} for the loop.
 */
@Command(
        name = "raw-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Echo server (RFC 862) written like the epoll exercise: one thread, one epoll set, driven "
                + "directly (no Netty event loop). lt: one accept or read per readiness event. et: EPOLLET, "
                + "accept and read until EAGAIN. Both write what the socket takes and arm EPOLLOUT only while "
                + "echo waits. " + Name.THREADS + " N runs N such loops, each with its own epoll set and connections, "
                + "and " + Name.ACCEPT + " says how they share the listener.")
public final class RawCommand extends EchoServerCommand {
    @Option(
            names = Name.MODE,
            paramLabel = "lt|et",
            description = "lt: level-triggered, one accept or read per event, the next epoll_wait reports "
                    + "leftovers. et: edge-triggered (EPOLLET), every event drained until EAGAIN "
                    + "(default: ${DEFAULT-VALUE}).")
    private Mode mode = Mode.et;

    @Option(
            names = Name.THREADS,
            paramLabel = "N",
            description = "Event-loop threads, each with its own epoll set; a connection stays on one for life "
                    + "(default: ${DEFAULT-VALUE}, the exercise's server; 1 to 1024).")
    private int threads = 1;

    @Option(
            names = Name.ACCEPT,
            paramLabel = "herd|exclusive|reuseport|acceptor",
            description = "How the loops share new connections. herd: the listener in every loop's epoll set "
                    + "(every loop wakes for each connection). exclusive: the same with EPOLLEXCLUSIVE (one loop "
                    + "wakes). reuseport: a listener per loop on one port (SO_REUSEPORT; the kernel picks by a hash). "
                    + "acceptor: one more thread accepts and hands connections to the loops in turn "
                    + "(default: ${DEFAULT-VALUE}: exclusive wakes one loop but, while loops are idle, always the "
                    + "first, so one loop would serve nearly every connection).")
    private AcceptStrategy accept = AcceptStrategy.reuseport;

    /** What the recipes fix, and why: a value the server would silently ignore is refused instead. */
    @Override
    protected Map<Group, String> refusedGroups() {
        return Map.of(
                Group.EVENT_LOOPS,
                "raw-server's threads are " + Name.THREADS + ", each a loop of its own",
                Group.READ_LOOP,
                "the mode fixes the reads per event: one in lt, until EAGAIN in et");
    }

    @Override
    protected void validate() {
        if (mode == Mode.et && options.acceptBatch(0) != 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.ACCEPT_BATCH
                            + "': edge-triggered must accept until EAGAIN (0): no later event would report the connections "
                            + "a smaller batch leaves queued");
        }
        ServerOptions.requireRange(spec.commandLine(), Name.THREADS, threads, 1, 1024);
        if (accept == AcceptStrategy.reuseport
                && threads > 1
                && options.listeners() > 1
                && options.listeners() != threads) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.LISTENERS + "': " + Name.ACCEPT
                            + " reuseport opens one listener per thread (" + Name.THREADS + " " + threads + ")");
        }
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return new RawEchoServer(options, mode, threads, accept);
    }

    public static void main(String[] args) {
        ServerCli.main(new RawCommand(), args);
    }
}
