package lab.epoll.netty42;

import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code netty42-server} command: the lab's echo server, unchanged but for the Netty line, on Netty 4.2's
 * {@code MultiThreadIoEventLoopGroup} with the epoll or the io_uring {@code IoHandler}. It answers "what would
 * upgrading to 4.2 change?", and with {@code --transport io_uring}, "and switching to io_uring on 4.2?".
 */
@Command(
        name = "netty42-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Echo server (RFC 862) on Netty 4.2: epoll (level-triggered; 4.2 has no EpollMode) or io_uring.",
            "With " + Name.TRANSPORT + " io_uring, " + Name.BUSY_POLL + " and " + Name.MAX_EVENTS
                    + " are epoll only: refused whenever given, even at the default value."
        })
public final class Netty42Command extends EchoServerCommand {
    /** Which of 4.2's native IoHandlers carries the connections. */
    enum TransportChoice {
        epoll,
        io_uring
    }

    @Option(
            names = Name.TRANSPORT,
            paramLabel = "epoll|io_uring",
            defaultValue = "epoll",
            description = "Netty 4.2 IoHandler: epoll (EpollIoHandler) or io_uring (IoUringIoHandler) "
                    + "(default: ${DEFAULT-VALUE}).")
    private TransportChoice transport;

    @Override
    protected void validate() {
        if (transport == TransportChoice.io_uring) {
            refuseIfGiven(ServerVariant.IoModel.NETTY_IO_URING.refusals());
        }
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return new EchoServer(
                options, transport == TransportChoice.epoll ? new Epoll42Transport() : new IoUring42Transport());
    }

    /** Netty 4.2's switch for io_uring's multishot accept (one accept request that keeps delivering sockets). */
    static final String MULTISHOT_ACCEPT = "io.netty.iouring.acceptMultiShotEnabled";

    public static void main(String[] args) {
        // Off unless asked for, before Netty reads it: on 4.2.18 a multishot accept that fails with EMFILE keeps
        // failing at once instead of pausing for the acceptor's 1 s back-off, a loop of ~300,000 failures a second
        // at full CPU (FdExhaustionIT). Single-shot accepts back off as on every other transport.
        if (System.getProperty(MULTISHOT_ACCEPT) == null) {
            System.setProperty(MULTISHOT_ACCEPT, "false");
        }
        ServerCli.main(new Netty42Command(), args);
    }
}
