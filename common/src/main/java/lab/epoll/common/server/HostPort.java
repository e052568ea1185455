package lab.epoll.common.server;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Prints addresses as people and scripts expect them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
public final class HostPort {
    private HostPort() {}

    public static String format(InetSocketAddress address) {
        if (address.getAddress() == null) {
            return address.getHostString() + ":" + address.getPort();
        }
        // RFC 5952 text ("::1", not "0:0:0:0:0:0:0:1"), bracketed for IPv6 so the port stays unambiguous.
        String host = NetUtil.toAddressString(address.getAddress());
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
