package lab.epoll.common.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/** How logs name a connection: its file descriptor (the number epoll knows it by) and its peer address. */
final class ConnectionNames {
    private ConnectionNames() {}

    static String of(Channel channel) {
        String peer = String.valueOf(channel.remoteAddress()).replaceFirst("^/", "");
        if (channel instanceof UnixChannel) {
            return "fd=" + ((UnixChannel) channel).fd().intValue() + " (" + peer + ")";
        }
        return "connection " + channel.id().asShortText() + " (" + peer + ")";
    }
}
