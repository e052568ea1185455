package lab.epoll.nio;

import java.util.Map;
import lab.epoll.catalog.ServerOption.Group;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.common.cli.EchoServerCommand;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.server.EchoServer;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.transport.NioTransport;
import picocli.CommandLine.Command;

/**
 * The {@code nio-server} command, the baseline: the same echo server on Netty's NIO transport, so the benchmark
 * can put Netty's own epoll next to the JDK's epoll selector and the JDK's poll(2) selector (chosen with
 * {@code -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider}).
 */
@Command(
        name = "nio-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Echo server (RFC 862) on Netty's NIO transport: the JDK's selector, epoll by default on Linux.",
            "For poll(2), run the JVM with",
            "  -Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider"
        })
public final class NioCommand extends EchoServerCommand {

    /** Netty's native socket and epoll knobs: the JDK's selectors, poll(2) and epoll alike, have neither. */
    @Override
    protected Map<Group, String> refusedGroups() {
        return ServerVariant.IoModel.JDK_EPOLL.refusals();
    }

    @Override
    protected LabServer newServer(ServerOptions options) {
        return new EchoServer(options, new NioTransport());
    }

    public static void main(String[] args) {
        ServerCli.main(new NioCommand(), args);
    }
}
