package lab.epoll.oneshot.kernel;

import io.netty.channel.epoll.LinuxSocket;
import java.io.IOException;
import lab.epoll.oneshot.InFlightMonitor;

/**
 * A listening socket in the shared epoll set, registered with {@code EPOLLIN | EPOLLONESHOT}: one thread at a
 * time accepts from it, until {@code EAGAIN}, then re-arms it.
 *
 * <p>Closing follows the rule every fd in the engine follows: only the thread holding its event closes it, so no
 * other thread can still hold an event for a number the kernel may already have given to a new socket.
 * {@link #requestClose()} (from {@code stop}) therefore does not close: it calls {@code shutdown(2)}, which on
 * Linux takes a listening socket out of the LISTEN state at once (new connections are refused from that moment)
 * and wakes epoll with {@code EPOLLHUP}; the thread that gets that event closes the fd.
 */
final class Listener {
    final LinuxSocket socket;
    final int fd;
    final InFlightMonitor.Guard guard;
    /** accept4(2) writes the peer's address here; 26 bytes is what Netty's own server channel passes. */
    final byte[] acceptedAddress = new byte[26];
    private volatile boolean closeRequested;
    private boolean closed;
    /**
     * After a failed accept (EMFILE...), when the timer thread may re-arm this listener: System.nanoTime(), or
     * 0 while it is not backing off. Written by the thread that held its event, read by the timer thread.
     */
    volatile long backoffUntilNanos;

    Listener(LinuxSocket socket, InFlightMonitor.Guard guard) {
        this.socket = socket;
        this.fd = socket.intValue();
        this.guard = guard;
    }

    boolean closeRequested() {
        return closeRequested;
    }

    /** Any thread: stop listening now; the fd is closed by whoever handles the resulting event. */
    synchronized void requestClose() {
        if (closed || closeRequested) {
            return;
        }
        closeRequested = true;
        try {
            socket.shutdown(true, true);
        } catch (IOException e) {
            // Not listening any more anyway; the close below (or at the end of stop) finishes the job.
        }
    }

    /** Only the thread holding this listener's event, or stop() once every worker has ended. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do for a listener that will not close.
        }
    }
}
