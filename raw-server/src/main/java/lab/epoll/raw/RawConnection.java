package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLERR;
import static lab.epoll.catalog.EpollFlags.EPOLLHUP;
import static lab.epoll.catalog.EpollFlags.EPOLLIN;
import static lab.epoll.catalog.EpollFlags.EPOLLOUT;
import static lab.epoll.catalog.EpollFlags.EPOLLRDHUP;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.rawepoll.EpollConnection;
import lab.epoll.rawepoll.ReadSizer;
import lab.epoll.rawepoll.UnsentEcho;

/**
 * One client socket of {@link RawEchoServer} and its echo state; only the loop thread touches it.
 *
 * <p>One event: if {@code EPOLLOUT} (or an error) was reported, send what is waiting; if input was reported,
 * read (once in {@code lt}, until {@code EAGAIN} in {@code et}), sending each read at once as far as the socket
 * takes it. Then say which events to wait for next: {@code EPOLLIN | EPOLLRDHUP} while it may read (not after the
 * peer's FIN, not while more than {@code --write-buffer-high} bytes wait to be sent, not while the server's
 * {@link PendingBudget} is exhausted), {@code EPOLLOUT} while bytes wait. The loop changes the registration only when that set changes, so a connection whose echo always fits
 * costs no {@code epoll_ctl} after its {@code ADD}.
 */
final class RawConnection implements EpollConnection {
    private static final int INPUT_EVENTS = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;

    private final int fd;
    private final Socket socket;
    private final String name;
    private final Mode mode;
    private final ByteBufAllocator allocator;
    private final ConnectionStats stats;
    private final ReadSizer readSizer;
    private final UnsentEcho unsent;
    private final PendingBudget budget;
    private final MinProgress progress;

    /** Every loop's connections' unsent echo together, for the stats line; this one's share, as last added. */
    private final LongAdder unsentTotal;

    private int unsentCounted;
    private boolean inputClosed;
    private int registered;
    private long lastActivityNanos = System.nanoTime();
    private long bytesIn;
    private long bytesOut;

    RawConnection(
            Socket socket,
            String name,
            Mode mode,
            ReadSizer readSizer,
            UnsentEcho unsent,
            PendingBudget budget,
            MinProgress progress,
            ByteBufAllocator allocator,
            ConnectionStats stats,
            LongAdder unsentTotal) {
        this.unsentTotal = unsentTotal;
        this.budget = budget;
        this.progress = progress;
        this.socket = socket;
        this.fd = socket.intValue();
        this.mode = mode;
        this.readSizer = readSizer;
        this.unsent = unsent;
        this.allocator = allocator;
        this.stats = stats;
        this.name = name;
        this.registered = interest();
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    /** Brings {@code unsentTotal} up to date with this connection's unsent echo, after an event or the close. */
    void countUnsent() {
        int now = unsent.bytes();
        if (now != unsentCounted) {
            unsentTotal.add(now - unsentCounted);
            unsentCounted = now;
        }
    }

    /** The events it is registered for; the loop sets this after each {@code epoll_ctl}. */
    int registered() {
        return registered;
    }

    void registered(int events) {
        registered = events;
    }

    /** The events it should be registered for now, trigger flag included. */
    int interest() {
        int interest = mode.triggerFlag();
        if (mayRead()) {
            interest |= EPOLLIN | EPOLLRDHUP;
        }
        if (!unsent.isEmpty()) {
            interest |= EPOLLOUT;
        }
        return interest;
    }

    /** Handles one event; false once the peer has finished and all its echo was sent. Resets and EPIPE throw. */
    boolean onEvent(int events) throws IOException {
        if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0 && !unsent.isEmpty()) {
            flush();
        }
        if ((events & INPUT_EVENTS) != 0 && mayRead()) {
            read();
        }
        return !(inputClosed && unsent.isEmpty());
    }

    private boolean mayRead() {
        return !inputClosed && !unsent.overHighWaterMark() && !budget.exhausted();
    }

    private void read() throws IOException {
        readSizer.eventStarts();
        try {
            do {
                int n = unsent.readFrom(socket, readSizer, allocator);
                if (n <= 0) {
                    // -1: the peer's FIN. Its echo still goes out; the connection closes once it has (half-close).
                    inputClosed = n < 0;
                    return;
                }
                bytesIn += n;
                stats.bytesIn(n);
                if (progress.moved(n)) {
                    lastActivityNanos = System.nanoTime();
                }
                flush();
                if (!mayRead()) {
                    // The peer is not reading its echo (or the server's budget is spent): stop reading until it
                    // does. The registration loses EPOLLIN, and regains it (re-polling the socket, so et misses
                    // nothing) below --write-buffer-low, or when the budget is back.
                    return;
                }
            } while (mode.drainsEachEvent());
        } finally {
            readSizer.eventEnds();
        }
    }

    private void flush() throws IOException {
        int written = unsent.flush(socket);
        if (written > 0) {
            bytesOut += written;
            stats.bytesOut(written);
            if (progress.moved(written)) {
                lastActivityNanos = System.nanoTime();
            }
        }
    }

    /** Closes the fd, which also takes it out of the epoll set, and drops any unsent echo. */
    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing more to do for a socket that will not close.
        }
        unsent.release();
    }
}
