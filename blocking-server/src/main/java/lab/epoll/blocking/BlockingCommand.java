package lab.epoll.blocking;

import java.util.Map;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code blocking-server} command: a thread per connection with blocking {@code java.net} sockets, the model
 * users weigh Netty against, on platform threads or on virtual threads (Java 21+). See
 * {@link ThreadPerConnectionServer}.
 */
@Command(
        name = "blocking-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Echo server (RFC 862) with a thread per connection: java.net.ServerSocket and Socket, "
                    + "blocking reads and writes, no Netty. On platform threads each connection holds a kernel "
                    + "thread; on virtual threads (Java 21 or later) a blocked read parks the thread and the JDK "
                    + "waits for the socket in its own epoll instance (EPOLLONESHOT)."
        },
        footer = {"", "Virtual threads on a JVM older than 21 are a server that cannot run (exit 1)."})
public final class BlockingCommand extends EchoServerCommand {
    @Option(
            names = Name.THREAD_KIND,
            paramLabel = "platform|virtual",
            description = "platform: one kernel thread per connection. virtual: one virtual thread per "
                    + "connection, which needs Java 21 or later (default: ${DEFAULT-VALUE}).")
    private ThreadKind threadKind = ThreadKind.platform;

    @Option(
            names = Name.CARRIERS,
            paramLabel = "N",
            defaultValue = "${sys:lab.defaultCarriers}",
            description = "With virtual threads: the carrier threads that run them "
                    + "(jdk.virtualThreadScheduler.parallelism); 0 = the JDK's default, one per core. With one "
                    + "carrier a saturated server never serves new connections: the carrier keeps taking virtual "
                    + "threads from the queue that readiness refills, and those the acceptor starts wait in "
                    + "another (default: 2 or the number of cores, whichever is more, ${DEFAULT-VALUE} here).")
    private int carriers;

    static {
        System.setProperty("lab.defaultCarriers", Integer.toString(defaultCarriers()));
    }

    /** The carriers a virtual-thread server gets unless told otherwise: never fewer than two. */
    static int defaultCarriers() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** No event loop, no epoll of its own and no Netty buffers, on platform and virtual threads alike. */
    @Override
    protected Map<Group, String> refusedGroups() {
        return ServerVariant.IoModel.JDK_THREADS.refusals();
    }

    @Override
    protected void validate() {
        ServerOptions.requireRange(spec.commandLine(), Name.CARRIERS, carriers, 0, 256);
        if (threadKind == ThreadKind.platform
                && spec.commandLine().getParseResult().hasMatchedOption(Name.CARRIERS)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "Invalid value for option '" + Name.CARRIERS + "': only virtual threads have carriers");
        }
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return new ThreadPerConnectionServer(options, threadKind, threadKind == ThreadKind.virtual ? carriers : -1);
    }

    public static void main(String[] args) {
        // Netty is here for the shared CLI and address formatting only, and moves no byte: without this its
        // first use of sun.misc.Unsafe makes Java 24+ print four warning lines on stderr.
        System.setProperty("io.netty.noUnsafe", "true");
        ServerCli.main(new BlockingCommand(), args);
    }
}
