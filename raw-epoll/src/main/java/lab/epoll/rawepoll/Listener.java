package lab.epoll.rawepoll;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import lab.epoll.common.cli.ServerOptions;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.HostPort;
import lab.epoll.common.server.Listen;
import lab.epoll.common.server.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket of a server that runs its own epoll loop: bound and listening with the shared options
 * ({@code --backlog}, {@code --listeners} with {@code SO_REUSEPORT}, {@code --tcp-fastopen},
 * {@code --tcp-defer-accept}), accepting non-blocking sockets.
 *
 * <p>Closing follows the rule for any fd in an epoll set that several threads wait on: only the thread handling
 * its event closes it, so no thread can still hold an event for a number the kernel has already given to a new
 * socket. {@link #requestClose()} (from another thread) therefore does not close: it calls {@code shutdown(2)},
 * which on Linux takes a listening socket out of the LISTEN state at once (new connections are refused from that
 * moment) and wakes epoll with {@code EPOLLHUP}; the thread that gets that event closes the fd. A single-threaded
 * loop may simply {@link #close()} it.
 */
public final class Listener {
    /** How long a listener rests after a failed accept (EMFILE...), like Netty's ServerBootstrap. */
    public static final long BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    /**
     * When a failed accept was last logged, by any listener of this process: out of fds, every listener fails
     * (one per thread with SO_REUSEPORT), and one line a second says it.
     */
    private static final AtomicLong lastLoggedNanos = new AtomicLong();

    private final LinuxSocket socket;
    private final int fd;
    /** accept4(2) writes the peer's address here; 26 bytes is what Netty's own server channel passes. */
    private final byte[] acceptedAddress = new byte[26];

    private volatile boolean closeRequested;
    private boolean closed;
    /**
     * After a failed accept (EMFILE...), when the loop may arm this listener again: System.nanoTime(), or 0 while
     * it is not backing off. Written by the thread that held its event, read by the timer's thread.
     */
    private volatile long backoffUntilNanos;

    private Listener(LinuxSocket socket) {
        this.socket = socket;
        this.fd = socket.intValue();
    }

    /**
     * Binds {@code --listeners} sockets to {@code --host}/{@code --port}; several share the first one's port
     * through {@code SO_REUSEPORT}. A failure closes what was opened and reads like every server's
     * ({@code cannot listen on HOST:PORT: Address already in use}).
     */
    public static List<Listener> openAll(ServerOptions options) throws ServerStartException {
        return openAll(options, options.listeners());
    }

    /** As {@link #openAll(ServerOptions)}, with {@code count} sockets rather than {@code --listeners}. */
    public static List<Listener> openAll(ServerOptions options, int count) throws ServerStartException {
        InetSocketAddress requested = new InetSocketAddress(Listen.resolve(options.host()), options.port());
        List<Listener> listeners = new ArrayList<>();
        try {
            InetSocketAddress bound = open(requested, options, count > 1, listeners);
            // With --port 0 the kernel chose the port; further SO_REUSEPORT listeners must share that one.
            for (int i = 1; i < count; i++) {
                open(bound, options, true, listeners);
            }
            return listeners;
        } catch (IOException | ChannelException e) {
            listeners.forEach(Listener::close);
            throw new ServerStartException(
                    "cannot listen on " + HostPort.format(requested) + ": " + ErrorText.of(e), e);
        }
    }

    private static InetSocketAddress open(
            InetSocketAddress address, ServerOptions options, boolean reusePort, List<Listener> into)
            throws IOException {
        // An IPv4 address gets an IPv4 socket: 0.0.0.0 means IPv4 only, not dual-stack.
        LinuxSocket socket = address.getAddress() instanceof Inet4Address
                ? LinuxSocket.newSocketStream(InternetProtocolFamily.IPv4)
                : LinuxSocket.newSocketStream();
        into.add(new Listener(socket));
        socket.setReuseAddress(true);
        if (reusePort) {
            socket.setReusePort(true);
        }
        SocketOptions.tuneListening(socket, options);
        socket.bind(address);
        socket.listen(options.backlog());
        return socket.localAddress();
    }

    public int fd() {
        return fd;
    }

    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** accept4(2), non-blocking: the new socket's fd, or -1 when the queue is empty (EAGAIN). */
    public int accept() throws IOException {
        return socket.accept(acceptedAddress);
    }

    /**
     * The name the logs give the connection just accepted, e.g. {@code fd=16 (127.0.0.1:38402)}: from the address
     * accept4(2) reported, which a peer that reset the connection before it was accepted cannot take away (the
     * socket's own getpeername(2) then fails, and the name would read "(null)").
     */
    public String acceptedName(int fd) {
        InetSocketAddress peer = NativeInetAddress.address(acceptedAddress, 1, acceptedAddress[0]);
        return "fd=" + fd + " (" + HostPort.format(peer) + ")";
    }

    /** Closes an accepted socket the server will not serve (over the limit, draining, or failed to set up). */
    public static void refuse(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do for a connection that was never served.
        }
    }

    /**
     * {@code accept(2)} failed (EMFILE...): the connection stays queued, so the listener stays readable whether or
     * not {@code accept} can succeed, and arming it again at once would spin. Logs the failure (the same line as
     * the Netty variants' AcceptFailureHandler, so logs read alike) and starts a rest of {@link #BACKOFF_NANOS};
     * the caller leaves the listener disarmed until {@link #restOver} (or {@link #restEndsNanos}) says so. Nothing,
     * when a rest another thread started is still on.
     */
    public synchronized void acceptFailed(IOException cause) {
        long now = System.nanoTime();
        long until = backoffUntilNanos;
        if (until != 0 && now - until < 0) {
            return; // another thread's accept failed first: its rest (and its log line) covers this one
        }
        long logged = lastLoggedNanos.get();
        if ((logged == 0 || now - logged >= BACKOFF_NANOS) && lastLoggedNanos.compareAndSet(logged, now)) {
            log.warn(
                    "accept on {} failed: {}; accepting again in {} s",
                    HostPort.format(localAddress()),
                    ErrorText.of(cause),
                    TimeUnit.NANOSECONDS.toSeconds(BACKOFF_NANOS));
        }
        backoffUntilNanos = now + BACKOFF_NANOS;
    }

    /**
     * When the current rest after a failed accept ends ({@link System#nanoTime()}), or 0 when there is none. Every
     * loop watching this listener rests until then, so a listener in several epoll sets logs one failure a second,
     * not one per set.
     */
    public long restEndsNanos() {
        return backoffUntilNanos;
    }

    /** The timer's thread: true once, when a rest is over (the caller arms the listener again). */
    public boolean restOver(long nowNanos) {
        long until = backoffUntilNanos;
        if (until == 0 || nowNanos - until < 0) {
            return false;
        }
        backoffUntilNanos = 0;
        return true;
    }

    /** Whether the listener is resting after a failed accept. */
    public boolean resting() {
        return backoffUntilNanos != 0;
    }

    public boolean closeRequested() {
        return closeRequested;
    }

    /** Any thread: stop listening now; the fd is closed by whoever handles the resulting event. */
    public synchronized void requestClose() {
        if (closed || closeRequested) {
            return;
        }
        closeRequested = true;
        try {
            socket.shutdown(true, true);
        } catch (IOException e) {
            // Not listening any more anyway; the close (by the event's handler, or at the end) finishes the job.
        }
    }

    /** The thread holding this listener's event, a single-threaded loop, or anyone once no loop runs. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        backoffUntilNanos = 0; // a closed listener is not re-armed when its rest would have ended
        try {
            // close(2) also takes the fd out of any epoll set.
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do for a listener that will not close.
        }
    }
}
