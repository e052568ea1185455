package lab.epoll.common.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import lab.epoll.common.cli.ServerOptions;

/**
 * The socket knobs every native transport has, as the {@link ChannelOption} constants that transport spells them
 * with: Netty names each transport's options after its own class ({@code EpollChannelOption.TCP_QUICKACK} is not
 * {@code IOUringChannelOption.TCP_QUICKACK}), so each transport hands its own constants to the one mapping from
 * the command line.
 *
 * @param busyPoll {@code SO_BUSY_POLL}, or null where the transport has none (the command refuses the option)
 */
public record NativeSocketOptions(
        ChannelOption<Boolean> reusePort,
        ChannelOption<Integer> fastOpen,
        ChannelOption<Integer> deferAccept,
        ChannelOption<Boolean> quickAck,
        ChannelOption<Integer> busyPoll) {

    /**
     * Sets the knobs the command line asked for: listener options on {@code option}, socket ones on
     * {@code childOption}.
     */
    public void apply(ServerBootstrap bootstrap, ServerOptions options) {
        if (options.listeners() > 1) {
            bootstrap.option(reusePort, true);
        }
        if (options.tcpFastOpen() > 0) {
            bootstrap.option(fastOpen, options.tcpFastOpen());
        }
        if (!options.tcpDeferAccept().isZero()) {
            bootstrap.option(deferAccept, (int) options.tcpDeferAccept().toSeconds());
        }
        if (options.tcpQuickAck()) {
            bootstrap.childOption(quickAck, true);
        }
        if (busyPoll != null && !options.busyPoll().isZero()) {
            bootstrap.childOption(busyPoll, (int) (options.busyPoll().toNanos() / 1000));
        }
    }
}
