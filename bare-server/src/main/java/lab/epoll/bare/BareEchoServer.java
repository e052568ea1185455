package lab.epoll.bare;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.cli.ListeningLine;
import lab.epoll.common.cli.ServerCli;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.cli.VersionProvider;
import lab.epoll.common.pipeline.AcceptFailureHandler;
import lab.epoll.common.server.Listen;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.server.ShutdownSignals;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.common.transport.EpollTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code bare-server} command: the smallest correct echo server on Netty's epoll transport, in the shape of
 * Netty's own echo example (one bootstrap, one handler, edge-triggered as Netty 4.1's epoll is by default), with
 * one event loop per core like the lab's servers. It has none of the lab's features (counters, idle timeout,
 * connection limit, backpressure, draining): it is what they are measured against, and what their cost is
 * the difference from. It shares the lab's process contract: the listening line, one-line errors with exit
 * codes 1 and 2, and SIGTERM/SIGINT/SIGHUP end it with exit 0.
 */
@Command(
        name = "bare-server",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Echo server (RFC 862) on Netty's native epoll transport with nothing but the echo: the "
                + "baseline the lab's features are measured against.")
public final class BareEchoServer implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BareEchoServer.class);

    @Option(
            names = Name.HOST,
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(
            names = {Name.PORT_SHORT, Name.PORT},
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "TCP port; 0 picks any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = Name.MODE,
            paramLabel = "et|lt",
            description = "EPOLL_MODE of the listener and every connection: et (EDGE_TRIGGERED, Netty 4.1's "
                    + "default) or lt (LEVEL_TRIGGERED) (default: ${DEFAULT-VALUE}).")
    private BareMode mode = BareMode.et;

    /** Netty 4.1's two epoll modes, by the names the lab's other servers use. */
    enum BareMode {
        et(EpollMode.EDGE_TRIGGERED),
        lt(EpollMode.LEVEL_TRIGGERED);

        final EpollMode epollMode;

        BareMode(EpollMode epollMode) {
            this.epollMode = epollMode;
        }
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws ServerStartException, InterruptedException {
        ServerOptions.requireRange(spec.commandLine(), Name.PORT, port, 0, 65535);
        ServerOptions.requireHostSyntax(spec.commandLine(), host);
        EpollTransport.requireEpoll();
        InetAddress address = Listen.resolve(host);
        int threads = NettyRuntime.availableProcessors();
        EventLoopGroup group = new EpollEventLoopGroup(threads, new DefaultThreadFactory("echo"));
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(group)
                    .channelFactory((io.netty.channel.ChannelFactory<ServerChannel>)
                            () -> EpollTransport.serverChannel(address))
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(EpollChannelOption.EPOLL_MODE, mode.epollMode)
                    .childOption(EpollChannelOption.EPOLL_MODE, mode.epollMode)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    // An accept that fails (EMFILE) in one line, not Netty's end-of-pipeline stack trace.
                    .handler(AcceptFailureHandler.forListener(new ConnectionStats()))
                    .childHandler(new ChannelInitializer<Channel>() {
                        private final BareEchoHandler echo = new BareEchoHandler();

                        @Override
                        protected void initChannel(Channel channel) {
                            channel.pipeline().addLast(echo);
                        }
                    });
            ShutdownSignals signals = ShutdownSignals.install();
            Channel listener = Listen.bind(bootstrap, new InetSocketAddress(address, port));
            ListeningLine.print(
                    spec.commandLine().getOut(),
                    (InetSocketAddress) listener.localAddress(),
                    "transport=epoll, mode=" + mode.epollMode + ", io-threads=" + threads);
            log.info("{} received: closing the listener and every connection", signals.awaitFirst());
            listener.close().syncUninterruptibly();
            return 0;
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    public static void main(String[] args) {
        ServerCli.main(new BareEchoServer(), args);
    }
}
