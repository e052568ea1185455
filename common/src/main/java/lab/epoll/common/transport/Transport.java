package lab.epoll.common.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.net.InetAddress;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.pipeline.EchoHandler;
import lab.epoll.common.server.AcceptBatch;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.server.ServerStartException;
import lab.epoll.common.stats.ConnectionStats;

/**
 * What differs between the lab's server variants: which event loop and channel classes carry the connections
 * and which transport-specific knobs they get. Everything else (the echo pipeline, counters, timeouts,
 * shutdown) is the same for every variant, so a difference in the numbers is a difference in the transport.
 */
public interface Transport {

    /** Fails with a one-line reason when this transport cannot run here (e.g. no epoll native library). */
    void ensureAvailable() throws ServerStartException;

    /** The settings that tell variants apart on the {@code listening on} line, e.g. {@code mode=EDGE_TRIGGERED}. */
    String describe();

    EventLoopGroup newEventLoopGroup(ServerOptions options);

    /**
     * A new listening channel for this bind address. For an IPv4 address it is an IPv4 socket, so that
     * {@code 0.0.0.0} means IPv4 only, as a user reads it (a dual-stack socket would listen on IPv6 too), wherever
     * the transport can open one.
     */
    ServerChannel newServerChannel(InetAddress address);

    /** How many reads one connection may make per readiness event or completion: {@code --max-messages-per-read}. */
    default int maxMessagesPerRead(ServerOptions options) {
        return options.maxMessagesPerRead();
    }

    /** How many connections a listener accepts per readiness event or completion: {@code --accept-batch}. */
    default int acceptBatch(ServerOptions options) {
        return options.acceptBatch(AcceptBatch.DEFAULT);
    }

    /** Applies this transport's options to listeners ({@code option}) and accepted sockets ({@code childOption}). */
    void configure(ServerBootstrap bootstrap, ServerOptions options);

    /**
     * Adds the stage that does the echo to a new connection's pipeline. A variant that hands the echo to worker
     * threads (the ONESHOT idiom in Netty) overrides this; everything before and after it stays the same.
     */
    default void addEchoStage(ChannelPipeline pipeline, ConnectionStats stats, PendingBudget budget) {
        pipeline.addLast("echo", new EchoHandler(stats, budget));
    }

    /** Releases what the transport made besides the event loops (e.g. a worker pool), once they have stopped. */
    default void shutdown() {}
}
