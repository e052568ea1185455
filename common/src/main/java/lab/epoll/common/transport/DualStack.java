package lab.epoll.common.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the transports that cannot open an IPv4-only listener (Netty's io_uring server channels, incubator and
 * 4.2, have no protocol-family constructor; {@code java.net.ServerSocket} opens an IPv6 socket wherever IPv6
 * exists): {@code --host 0.0.0.0} then listens on IPv6 too, and the user is told so once, on stderr.
 */
public final class DualStack {
    private static final Logger log = LoggerFactory.getLogger(DualStack.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private DualStack() {}

    /**
     * Warns, once per process, when {@code address} is the IPv4 wildcard that such a listener widens;
     * {@code listener} names what cannot be IPv4-only, e.g. {@code io_uring}.
     */
    public static void warnIfIpv4Wildcard(InetAddress address, String listener) {
        if (address instanceof Inet4Address && address.isAnyLocalAddress() && WARNED.compareAndSet(false, true)) {
            log.warn("{} cannot open an IPv4-only socket: 0.0.0.0 listens on IPv6 (::) too", listener);
        }
    }
}
