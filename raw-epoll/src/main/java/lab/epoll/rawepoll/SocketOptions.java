package lab.epoll.rawepoll;

import io.netty.channel.unix.Socket;
import java.io.IOException;
import lab.epoll.common.cli.ServerOptions;

/**
 * The shared socket options, set with {@code setsockopt(2)} on a raw socket: the knobs Netty's epoll transport
 * exposes as {@code EpollChannelOption}, applied the same way here.
 */
public final class SocketOptions {
    // Linux option numbers (<netinet/tcp.h>, <asm-generic/socket.h>) for options unix.Socket has no setter for.
    private static final int SOL_SOCKET = 1;
    private static final int SO_BUSY_POLL = 46;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_DEFER_ACCEPT = 9;
    private static final int TCP_QUICKACK = 12;
    private static final int TCP_FASTOPEN = 23;

    private SocketOptions() {}

    /** {@code --tcp-fastopen} and {@code --tcp-defer-accept}, on a socket before it listens. */
    static void tuneListening(Socket socket, ServerOptions options) throws IOException {
        if (options.tcpFastOpen() > 0) {
            socket.setIntOpt(IPPROTO_TCP, TCP_FASTOPEN, options.tcpFastOpen());
        }
        if (!options.tcpDeferAccept().isZero()) {
            socket.setIntOpt(IPPROTO_TCP, TCP_DEFER_ACCEPT, (int)
                    options.tcpDeferAccept().toSeconds());
        }
    }

    /** {@code --tcp-nodelay}, {@code --tcp-quickack} and {@code --busy-poll}, on an accepted socket. */
    public static void tuneAccepted(Socket socket, ServerOptions options) throws IOException {
        socket.setTcpNoDelay(options.tcpNoDelay());
        if (options.tcpQuickAck()) {
            socket.setIntOpt(IPPROTO_TCP, TCP_QUICKACK, 1);
        }
        if (!options.busyPoll().isZero()) {
            socket.setIntOpt(SOL_SOCKET, SO_BUSY_POLL, (int) (options.busyPoll().toNanos() / 1000));
        }
    }
}
