package lab.epoll.oneshot.kernel;

import static lab.epoll.catalog.EpollFlags.EPOLLERR;
import static lab.epoll.catalog.EpollFlags.EPOLLHUP;
import static lab.epoll.catalog.EpollFlags.EPOLLIN;
import static lab.epoll.catalog.EpollFlags.EPOLLONESHOT;
import static lab.epoll.catalog.EpollFlags.EPOLLOUT;
import static lab.epoll.catalog.EpollFlags.EPOLLRDHUP;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.server.PeerFailureLog;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;
import lab.epoll.oneshot.InFlightMonitor;
import lab.epoll.rawepoll.EpollConnection;
import lab.epoll.rawepoll.ReadSizer;
import lab.epoll.rawepoll.UnsentEcho;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client socket of the kernel engine and its echo state.
 *
 * <p><b>Who may touch it.</b> The socket is registered with {@code EPOLLONESHOT}: once {@code epoll_wait} has
 * reported it to one thread, the kernel reports it to no other until that thread re-arms it with
 * {@code EPOLL_CTL_MOD}. That thread is the connection's only owner for the event; {@link #onEvent} runs on it
 * alone, so the fields below need no locks, and the {@link InFlightMonitor.Guard} around it proves it. Other
 * threads (the idle sweep, {@code stop}) never read or write the socket: they {@link #requestClose ask} for a
 * close, which the owner carries out.
 *
 * <p><b>One event.</b> Flush what earlier reads left unsent; then read until {@code EAGAIN} (or a short read,
 * which means the receive queue was empty at that moment; re-arming re-polls the socket, so whatever arrives
 * afterwards raises a new event), echoing each read at once; then say what to re-arm with:
 * {@code EPOLLIN | EPOLLRDHUP} while it may read, {@code EPOLLOUT} while echo is left unsent.
 *
 * <p><b>Backpressure.</b> While more than {@code --write-buffer-high} bytes wait to be sent (the peer is not
 * reading), the connection is re-armed without {@code EPOLLIN}: the server stops reading from it, so its memory
 * stays bounded. Reading resumes once the backlog drops below {@code --write-buffer-low}. Server-wide, no
 * connection reads while the {@link PendingBudget} is exhausted; one that then has nothing else to wait for is
 * {@link #park parked} instead of re-armed.
 *
 * <p><b>Half-close.</b> On {@code EPOLLRDHUP} (the peer sent FIN) it reads to the end of the stream, keeps
 * echoing what it read, and closes once all of it was sent.
 */
final class Connection implements EpollConnection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** {@link #onEvent} returns this when it closed the connection: nothing to re-arm. */
    static final int CLOSED = 0;

    private static final int INPUT_EVENTS = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;

    /** What the server needs to hear from a connection. */
    interface Host {
        void closed(Connection connection, Reason reason);
    }

    /** The options a connection needs, resolved once. */
    record Settings(
            ByteBufAllocator allocator,
            int writeBufferLow,
            int writeBufferHigh,
            int maxReadsPerEvent,
            int minProgress,
            boolean verbose) {}

    private final int fd;
    final InFlightMonitor.Guard guard;
    private final Socket socket;
    private final String name;
    private final Settings settings;
    private final ConnectionStats stats;
    private final Host host;
    private final ReadSizer readSizer;
    private final PendingBudget budget;
    /** True while no thread and no registration owns it: see {@link #park}. */
    private final AtomicBoolean parked = new AtomicBoolean();

    // Owner-only state (see the class comment); other threads read only unsent.bytes().
    private final UnsentEcho unsent;
    private final MinProgress progress;
    private boolean inputClosed;
    private long bytesIn;
    private long bytesOut;

    // Read by other threads.
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Reason closeRequest;
    private boolean closed; // guarded by this: requestClose() must never shut down a number close() gave back

    Connection(
            Socket socket,
            String name,
            InFlightMonitor.Guard guard,
            ReadSizer readSizer,
            Settings settings,
            PendingBudget budget,
            ConnectionStats stats,
            Host host) {
        this.budget = budget;
        this.socket = socket;
        this.fd = socket.intValue();
        this.guard = guard;
        this.readSizer = readSizer;
        this.settings = settings;
        this.stats = stats;
        this.host = host;
        this.unsent = new UnsentEcho(settings.writeBufferLow(), settings.writeBufferHigh(), budget);
        this.progress = new MinProgress(settings.minProgress());
        this.name = name;
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

    int unsentBytes() {
        return unsent.bytes();
    }

    /**
     * Handles one event on the owner thread: returns the events to re-arm with ({@code EPOLLONESHOT} included),
     * or {@link #CLOSED}.
     */
    int onEvent(int events) {
        try {
            Reason request = closeRequest;
            if (request != null) {
                close(request);
                return CLOSED;
            }
            boolean wasPaused = unsent.overHighWaterMark();
            if (!unsent.isEmpty()) {
                flush();
            }
            boolean paused = unsent.overHighWaterMark();
            boolean resumed = wasPaused && !paused;
            if (!inputClosed && !paused && !budget.exhausted() && ((events & INPUT_EVENTS) != 0 || resumed)) {
                read((events & (EPOLLRDHUP | EPOLLHUP)) != 0);
            }
            if (inputClosed && unsent.isEmpty()) {
                close(Reason.PEER);
                return CLOSED;
            }
            return interest();
        } catch (IOException e) {
            // A reset or broken pipe: the peer's doing, one line, no stack trace.
            stats.error();
            PeerFailureLog.failed(name, e.getMessage());
            close(Reason.ERROR);
            return CLOSED;
        } catch (RuntimeException | Error e) {
            // A bug: keep the stack trace. Closing is the only safe answer: the socket was not re-armed.
            stats.error();
            log.warn("{} failed; closing it", name, e);
            close(Reason.ERROR);
            return CLOSED;
        }
    }

    /** The events to arm with now ({@code EPOLLONESHOT} included); only {@code EPOLLONESHOT}: nothing to wait for. */
    int interest() {
        int interest = EPOLLONESHOT;
        if (!inputClosed && !unsent.overHighWaterMark() && !budget.exhausted()) {
            interest |= EPOLLIN | EPOLLRDHUP;
        }
        if (!unsent.isEmpty()) {
            interest |= EPOLLOUT;
        }
        return interest;
    }

    private void read(boolean peerClosing) throws IOException {
        readSizer.eventStarts();
        try {
            readUpTo(settings.maxReadsPerEvent(), peerClosing);
        } finally {
            readSizer.eventEnds();
        }
    }

    private void readUpTo(int maxReads, boolean peerClosing) throws IOException {
        for (int i = 0; i < maxReads; i++) {
            int n = unsent.readFrom(socket, readSizer, settings.allocator());
            if (n <= 0) {
                if (n < 0) {
                    // End of stream: the peer's FIN. Echo what is left, then close (half-close).
                    inputClosed = true;
                }
                return; // 0: EAGAIN, the socket is drained
            }
            bytesIn += n;
            stats.bytesIn(n);
            if (progress.moved(n)) {
                lastActivityNanos = System.nanoTime();
            }
            if (settings.verbose()) {
                log.info("{} read {} bytes", name, n);
            }
            flush();
            if (unsent.overHighWaterMark() || budget.exhausted()) {
                return;
            }
            if (n < readSizer.asked() && !peerClosing) {
                // A short read: the receive queue was empty. Re-arming re-polls it, so this is as good as EAGAIN.
                return;
            }
        }
        // Read --max-messages-per-read times: give other connections a turn. The socket is still readable, so
        // re-arming makes epoll report it again at once.
    }

    /** Writes unsent echo until done or the socket's send buffer is full ({@code EAGAIN} or a partial write). */
    private void flush() throws IOException {
        int written = unsent.flush(socket);
        if (written > 0) {
            bytesOut += written;
            stats.bytesOut(written);
            if (progress.moved(written)) {
                lastActivityNanos = System.nanoTime();
            }
            if (settings.verbose()) {
                log.info("{} wrote {} bytes", name, written);
            }
        }
    }

    /**
     * The owner, done with an event after which the connection waits for nothing but the budget: it is left
     * disarmed. A spent {@code EPOLLONESHOT} registration reports nothing at all, not even {@code EPOLLHUP}, so
     * no thread can get it; {@link #unpark} hands it back to the kernel, once, to whoever calls it first: the
     * thread that sees the budget back, or one that asks it to close.
     */
    void park() {
        parked.set(true);
    }

    /** Whether the sweep or shutdown asked it to close: armed even for nothing, it then hears its EPOLLHUP. */
    boolean closeRequested() {
        return closeRequest != null;
    }

    /** True for the one caller that takes a parked connection; that caller re-arms it. */
    boolean unpark() {
        return parked.compareAndSet(true, false);
    }

    /**
     * Any thread: asks for this connection to be closed (idle, or the end of the shutdown grace period). Calls
     * {@code shutdown(SHUT_RDWR)}, which makes the socket report {@code EPOLLHUP} whatever it is armed for, so
     * the thread that next owns it sees the request and closes it; an owner that holds it right now sees the
     * request when it re-arms. The lock keeps this from racing with {@link #close}: once the fd is closed its
     * number may already belong to another socket.
     */
    synchronized void requestClose(Reason reason) {
        if (closed || closeRequest != null) {
            return;
        }
        closeRequest = reason;
        try {
            socket.shutdown(true, true);
        } catch (IOException e) {
            // Already shut down (the peer reset it): the socket reports EPOLLHUP/EPOLLERR anyway.
        }
    }

    /** The owner (or stop(), once no worker runs): closes the fd and releases everything unsent. */
    void close(Reason reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // close(2) also removes the fd from the epoll set: no EPOLL_CTL_DEL needed.
                socket.close();
            } catch (IOException e) {
                log.debug("{}: close failed: {}", name, e.getMessage());
            }
        }
        unsent.release();
        host.closed(this, reason);
    }

    /** Bytes read so far; read by the owner that closes the connection. */
    @Override
    public long bytesIn() {
        return bytesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }
}
