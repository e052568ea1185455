package lab.epoll.common.server;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Prints addresses as people and scripts expect them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
public final class HostPort {
    private HostPort() {
    }

    public static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return host + ":" + address.getPort();
    }
}
