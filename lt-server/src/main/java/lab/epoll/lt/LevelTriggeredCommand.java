package lab.epoll.lt;

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
 * The {@code lt-server} command: the echo server on Netty's epoll transport, level-triggered. Every socket is
 * registered without {@code EPOLLET}, so {@code epoll_wait} reports it again for as long as unread data is
 * left. Netty can therefore stop reading after a short read without waiting for {@code EAGAIN}: the next wait
 * will tell it about anything it left.
 */
@Command(
        name = "lt-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Echo server (RFC 862) on Netty's native epoll transport, level-triggered "
                + "(EpollMode.LEVEL_TRIGGERED).")
public final class LevelTriggeredCommand extends EchoServerCommand {
    @Override
    protected LabServer newServer(ServerOptions options) {
        return new EchoServer(options, new EpollTransport(EpollMode.LEVEL_TRIGGERED));
    }

    public static void main(String[] args) {
        ServerCli.main(new LevelTriggeredCommand(), args);
    }
}
