package lab.epoll.et;

import io.netty.channel.epoll.EpollMode;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.transport.EpollTransport;
import picocli.CommandLine.Command;

/**
 * The {@code et-server} command: the echo server on Netty's epoll transport, edge-triggered. Every socket is
 * registered with {@code EPOLLET}, so {@code epoll_wait} reports it only when new data arrives. Whoever reads
 * must drain the socket until {@code EAGAIN}, or remember that it did not; Netty does both (it reads until a
 * read returns nothing, and re-schedules itself when it stops early for fairness or because reading was paused).
 */
@Command(
        name = "et-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Echo server (RFC 862) on Netty's native epoll transport, edge-triggered "
                + "(EpollMode.EDGE_TRIGGERED).")
public final class EdgeTriggeredCommand extends EchoServerCommand {
    @Override
    protected LabServer newServer(ServerOptions options) {
        return new EchoServer(options, new EpollTransport(EpollMode.EDGE_TRIGGERED));
    }

    public static void main(String[] args) {
        ServerCli.main(new EdgeTriggeredCommand(), args);
    }
}
