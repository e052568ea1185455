package lab.epoll.common.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Resolving the host and binding a listener, with the one-line errors every server gives for them. */
public final class Listen {
    private Listen() {}

    public static InetAddress resolve(String host) throws ServerStartException {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot resolve host '" + host + "'");
        }
    }

    /** Binds one listener; bind(2) failures ("Address already in use", "Permission denied") become one line. */
    public static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) throws ServerStartException {
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerStartException("interrupted while binding " + HostPort.format(address));
        } catch (Exception e) {
            throw new ServerStartException("cannot listen on " + HostPort.format(address) + ": " + ErrorText.of(e), e);
        }
    }
}
