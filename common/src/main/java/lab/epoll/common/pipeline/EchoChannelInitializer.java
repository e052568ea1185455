package lab.epoll.common.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ConnectionRegistry;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.common.transport.Transport;

/**
 * Builds each accepted connection's pipeline, or closes the connection at once when the server is full:
 *
 * <pre>
 * [ConnectionLogger]  (only with --verbose)
 * [IdleSweep's stamp]  (unless --idle-timeout 0)
 * EchoHandler  (or the transport's own echo stage)
 * ConnectionErrorHandler
 * </pre>
 */
public final class EchoChannelInitializer extends ChannelInitializer<Channel> {
    private final Transport transport;
    private final ConnectionRegistry registry;
    private final ConnectionStats stats;
    private final PendingBudget budget;
    private final boolean verbose;
    private final IdleSweep idleSweep;
    private final ConnectionErrorHandler errorHandler;

    public EchoChannelInitializer(
            ServerOptions options,
            Transport transport,
            ConnectionRegistry registry,
            ConnectionStats stats,
            PendingBudget budget) {
        this.transport = transport;
        this.registry = registry;
        this.stats = stats;
        this.budget = budget;
        this.verbose = options.verbose();
        this.idleSweep = options.idleTimeout().isZero()
                ? null
                : new IdleSweep(options.idleTimeout(), options.minProgress(), stats, verbose);
        this.errorHandler = new ConnectionErrorHandler(stats);
    }

    @Override
    protected void initChannel(Channel channel) {
        if (!registry.admit(channel)) {
            channel.close();
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (verbose) {
            pipeline.addLast("logger", new ConnectionLogger());
        }
        if (idleSweep != null) {
            pipeline.addLast("idle", idleSweep.newStamp());
        }
        transport.addEchoStage(pipeline, stats, budget);
        pipeline.addLast("errors", errorHandler);
    }
}
