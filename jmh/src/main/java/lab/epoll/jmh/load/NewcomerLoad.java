package lab.epoll.jmh.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import lab.epoll.catalog.CpuSet;
import lab.epoll.jmh.metrics.ListenQueue;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Who gets served when the server is busy: B <em>busy</em> connections keep it saturated, each with
 * {@code depth} requests in flight (a closed loop: every echo back sends one more), while <em>newcomers</em>
 * arrive at a steady rate R, each opening a connection, sending one request and closing once its echo is back.
 * A newcomer's wait runs from the moment it was due to the last byte of its echo: the handshake, the time its
 * connection spent in the server's accept queue, and the echo.
 *
 * <p>A newcomer waits at most {@code patience}; one still unanswered then gives up (its connection is closed, as
 * a user's would be), and counts as unanswered, in the wait percentiles with the time it waited (a lower bound),
 * never dropped from them. When an iteration ends ({@link #pause()}), arrivals stop and the newcomers still
 * waiting get the rest of their patience while the busy load goes on, so every newcomer of the window is either
 * answered or given up. Then {@link #takeAdmission()} has the window: the newcomers, and how evenly the busy
 * connections were served (Jain's index over their echoes, and the share that got none). Every byte that comes
 * back is checked against what was sent.
 *
 * <p>With no busy connections ({@link #arrivals}) it is a churn of new connections alone, arriving at rate R in
 * bursts of {@code burst} at once (R/burst bursts a second), for servers whose question is how they take new
 * connections rather than whom they serve first.
 *
 * <p>A client on its own CPU cannot outrun a server on its own CPU over loopback ({@link CpuHog} says why), so
 * by default a {@link CpuHog} shares the server's CPU: the offered load is then more than the server can serve,
 * in every run. Plain JDK sockets, as in {@link OpenLoopLoad}: newcomers must open when they are due.
 */
public final class NewcomerLoad implements ClientLoad {
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long CONNECT_SECONDS = 120;
    private static final int CONNECT_WAVE = 500;

    /**
     * One window's newcomers and fairness. {@code waits} holds every newcomer that was due in the window, in
     * nanoseconds, the unanswered ones at the time they gave up; {@code failed} were refused or reset (counted
     * in {@code unanswered} too); {@code lateness} is how late the client opened them against their schedule.
     */
    public record Admission(
            long arrived,
            long unanswered,
            long failed,
            Histogram waits,
            Histogram lateness,
            double busyJain,
            double busyUnservedShare,
            long listenBacklog,
            long listenOverflows) {}

    private final int busy;
    private final int depth;
    private final double rate;
    private final int burst;
    private final long patienceNanos;
    private final byte[] payload;
    /** The payload {@code depth + 1} times over: any run of up to {@code depth} requests from any offset. */
    private final byte[] pattern;

    private final Selector busySelector;
    private final Selector newcomerSelector;
    private final Thread busyThread;
    private final Thread newcomerThread;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final Recorder roundTrips = new Recorder(MAX_WAIT_NANOS, 3);
    private final List<Conn> busyConns = new ArrayList<>();
    /** Newcomers not answered yet, in the order they were due. */
    private final Set<Conn> newcomers = new LinkedHashSet<>();

    private InetSocketAddress server;
    /** Where a {@link CpuHog} competes with the server, or null for none. */
    private final CpuSet hogCpus;

    private CpuHog hog;
    /** Whether busy connections send; on from resume() until the window's last newcomer is done. */
    private volatile boolean busyRunning;
    /** Whether newcomers arrive; on from resume() to pause(). */
    private volatile boolean arriving;

    private volatile boolean closed;
    private volatile long epoch;
    private volatile long busyClosedEpoch;
    private volatile long newcomersClosedEpoch;
    private volatile int connected;
    /** The last closed window's newcomers, then its whole {@link Admission}, handed between the threads. */
    private volatile Admission newcomerWindow;

    private volatile double[] busyShares;
    private volatile Admission admission;
    private volatile Throwable failure;
    private final StallWatch stallWatch = new StallWatch(this::completed, () -> arriving);

    /**
     * {@code busy} saturating connections with {@code depth} requests in flight each, {@code rate} newcomers per
     * second who wait at most {@code patience}, {@code payloadLength} bytes a request.
     */
    public NewcomerLoad(
            int busy, int depth, double rate, long patience, TimeUnit unit, int payloadLength, CpuSet hogCpus) {
        this(busy, depth, rate, 1, patience, unit, payloadLength, hogCpus);
        if (busy < 1) {
            throw new IllegalArgumentException("busy " + busy + " must be positive (arrivals() has none)");
        }
    }

    /**
     * New connections alone, no busy ones and no hog: {@code rate} a second on average, in bursts of
     * {@code burst} opened at once.
     */
    public static NewcomerLoad arrivals(double rate, int burst, long patience, TimeUnit unit, int payloadLength) {
        return new NewcomerLoad(0, 1, rate, burst, patience, unit, payloadLength, null);
    }

    private NewcomerLoad(
            int busy,
            int depth,
            double rate,
            int burst,
            long patience,
            TimeUnit unit,
            int payloadLength,
            CpuSet hogCpus) {
        if (busy < 0 || depth < 1 || !(rate > 0) || burst < 1 || patience <= 0 || payloadLength < 1) {
            throw new IllegalArgumentException("busy " + busy + ", depth " + depth + ", rate " + rate + ", burst "
                    + burst + ", patience " + patience + ", payload " + payloadLength + ": each must be positive");
        }
        this.busy = busy;
        this.depth = depth;
        this.rate = rate;
        this.burst = burst;
        this.patienceNanos = unit.toNanos(patience);
        this.hogCpus = hogCpus;
        this.payload = new byte[payloadLength];
        for (int i = 0; i < payloadLength; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        this.pattern = new byte[payloadLength * (depth + 1)];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = payload[i % payloadLength];
        }
        try {
            this.busySelector = Selector.open();
            this.newcomerSelector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Two threads on the client's CPUs: a newcomer's echo is read as soon as it arrives, not after a pass
        // over thousands of busy connections, so its wait is the server's doing, not the client's.
        this.busyThread = new Thread(guarded(this::runBusy), "busy-client");
        this.newcomerThread = new Thread(guarded(this::runNewcomers), "newcomer-client");
        busyThread.setDaemon(true);
        newcomerThread.setDaemon(true);
    }

    /**
     * Opens the busy connections in waves of 500 (a burst of ten thousand SYNs would overflow any accept queue)
     * and returns once the kernel has completed every handshake. Each sends its first requests at once; whether
     * the server serves them all is what the windows measure, so this does not wait for echoes.
     */
    public void connect(InetSocketAddress server) throws IOException {
        this.server = server;
        busyThread.start();
        newcomerThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_SECONDS);
        while (connected < busy) {
            if (failure != null) {
                throw new IOException("opening the busy connections failed: " + failure.getMessage(), failure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(
                        connected + " of " + busy + " busy connections connected within " + CONNECT_SECONDS + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (hogCpus != null) {
            hog = CpuHog.start(hogCpus);
        }
    }

    @Override
    public void resume() {
        epoch++;
        busyRunning = true;
        arriving = true;
        busySelector.wakeup();
        newcomerSelector.wakeup();
    }

    /**
     * Stops arrivals, lets the window's newcomers finish (answered or given up) while the busy load goes on, then
     * parks the busy connections; returns once both sides have closed the window.
     */
    @Override
    public void pause() {
        arriving = false;
        newcomerSelector.wakeup();
        awaitEpoch(() -> newcomersClosedEpoch);
        busyRunning = false;
        busySelector.wakeup();
        awaitEpoch(() -> busyClosedEpoch);
        Admission newcomersOnly = newcomerWindow;
        double[] shares = busyShares;
        if (newcomersOnly != null && shares != null) {
            admission = new Admission(
                    newcomersOnly.arrived(),
                    newcomersOnly.unanswered(),
                    newcomersOnly.failed(),
                    newcomersOnly.waits(),
                    newcomersOnly.lateness(),
                    shares[0],
                    shares[1],
                    newcomersOnly.listenBacklog(),
                    newcomersOnly.listenOverflows());
        }
    }

    private void awaitEpoch(java.util.function.LongSupplier closedEpoch) {
        long deadline = System.nanoTime() + patienceNanos + TimeUnit.SECONDS.toNanos(30);
        while (closedEpoch.getAsLong() != epoch && failure == null && !closed && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** The window the last {@link #pause()} closed, or null when none closed since the last call. */
    @Override
    public Admission takeAdmission() {
        Admission a = admission;
        admission = null;
        return a;
    }

    /** Busy connections' echoes completed so far (newcomers' not included); with no busy ones, newcomers answered. */
    @Override
    public long completed() {
        return busy > 0 ? completed.get() : answered.get();
    }

    @Override
    public long sleepAndCount(long millis) throws InterruptedException {
        return stallWatch.sleepAndCount(millis, () -> failure, "the newcomer client");
    }

    /** The busy connections' round trips since the last call (a request's queueing behind others included). */
    @Override
    public Histogram takeLatencies() {
        return roundTrips.getIntervalHistogram();
    }

    @Override
    public int payloadLength() {
        return payload.length;
    }

    @Override
    public void close() {
        if (hog != null) {
            hog.close();
        }
        busyRunning = false;
        arriving = false;
        closed = true;
        for (Selector selector : List.of(busySelector, newcomerSelector)) {
            selector.wakeup();
        }
        try {
            busyThread.join(TimeUnit.SECONDS.toMillis(10));
            newcomerThread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Selector selector : List.of(busySelector, newcomerSelector)) {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        }
    }

    // ---- the client's two threads from here on: busy-client and newcomer-client ----

    private final Consumer<SelectionKey> ready = key -> {
        Conn conn = (Conn) key.attachment();
        try {
            conn.ready(key);
        } catch (IOException e) {
            conn.broken(e);
        }
    };
    private final ByteBuffer busyIn = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer newcomerIn = ByteBuffer.allocateDirect(64 * 1024);
    /** The newcomer thread's window: from resume() until its last newcomer is answered or gave up. */
    private Window window;

    private Runnable guarded(ThrowingRunnable body) {
        return () -> {
            try {
                body.run();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    failure = e;
                }
            }
        };
    }

    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    private void runBusy() throws IOException {
        openBusy();
        long seenEpoch = 0;
        while (!closed) {
            if (busyRunning && epoch != seenEpoch) {
                seenEpoch = epoch;
                for (Conn conn : busyConns) {
                    conn.echoes = 0;
                    conn.topUp();
                }
            } else if (!busyRunning && seenEpoch != 0 && busyClosedEpoch != seenEpoch) {
                busyShares = fairness();
                busyClosedEpoch = seenEpoch;
            }
            busySelector.select(ready, 100);
        }
    }

    /** Jain's index over the busy connections' echoes since the window opened, and the share that got none. */
    private double[] fairness() {
        if (busyConns.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        double squares = 0;
        int none = 0;
        for (Conn conn : busyConns) {
            sum += conn.echoes;
            squares += (double) conn.echoes * conn.echoes;
            none += conn.echoes == 0 ? 1 : 0;
        }
        return new double[] {
            squares == 0 ? 0 : sum * sum / (busyConns.size() * squares), none / (double) busyConns.size()
        };
    }

    private void runNewcomers() throws IOException {
        long seenEpoch = 0;
        while (!closed) {
            long now = System.nanoTime();
            if (arriving && epoch != seenEpoch) {
                seenEpoch = epoch;
                window = new Window(now);
            }
            long waitMillis = 100;
            if (window != null) {
                giveUpOlderThan(now - patienceNanos);
                if (arriving) {
                    waitMillis = window.launchDue(now);
                } else if (newcomers.isEmpty()) {
                    newcomerWindow = window.close();
                    window = null;
                    newcomersClosedEpoch = seenEpoch;
                } else {
                    waitMillis = 10;
                }
            }
            newcomerSelector.select(ready, Math.max(1, Math.min(100, waitMillis)));
        }
    }

    private void openBusy() throws IOException {
        for (int start = 0; start < busy; start += CONNECT_WAVE) {
            int end = Math.min(busy, start + CONNECT_WAVE);
            for (int i = start; i < end; i++) {
                busyConns.add(new Conn(false));
            }
            List<Conn> wave = busyConns.subList(start, end);
            while (wave.stream().anyMatch(c -> !c.connected)) {
                if (closed) {
                    return;
                }
                busySelector.select(ready, 10);
            }
            connected = end;
        }
    }

    /** Newcomers due before {@code dueBefore} and still unanswered give up. */
    private void giveUpOlderThan(long dueBefore) {
        for (Iterator<Conn> it = newcomers.iterator(); it.hasNext(); ) {
            Conn oldest = it.next();
            if (oldest.due >= dueBefore) {
                return;
            }
            it.remove();
            closeQuietly(oldest.channel);
            window.unanswered(oldest, System.nanoTime());
        }
    }

    /** One measurement window: the newcomers due in it and what became of them. */
    private final class Window {
        private final long start;
        private final long overflowsAtStart = ListenQueue.overflows();
        private final double intervalNanos = 1e9 / rate;
        private final Histogram waits = new Histogram(MAX_WAIT_NANOS, 3);
        private final Histogram lateness = new Histogram(MAX_WAIT_NANOS, 3);
        private long launched;
        private long unanswered;
        private long failed;

        Window(long start) {
            this.start = start;
        }

        /** Opens every newcomer due by {@code now}; returns the milliseconds until the next is due. */
        long launchDue(long now) throws IOException {
            for (long due = dueAt(launched); due <= now; due = dueAt(launched)) {
                lateness.recordValue(Math.min(MAX_WAIT_NANOS, now - due));
                launched++;
                Conn newcomer = new Conn(true, due);
                if (newcomer.channel.isOpen()) {
                    newcomers.add(newcomer);
                } else {
                    failed(newcomer, now);
                }
            }
            return TimeUnit.NANOSECONDS.toMillis(dueAt(launched) - System.nanoTime());
        }

        /** Newcomers come {@code burst} at a time, every {@code burst} intervals. */
        private long dueAt(long index) {
            return start + (long) (index / burst * burst * intervalNanos);
        }

        void answered(Conn newcomer, long now) {
            answered.incrementAndGet();
            waits.recordValue(Math.min(MAX_WAIT_NANOS, now - newcomer.due));
        }

        void unanswered(Conn newcomer, long now) {
            unanswered++;
            waits.recordValue(Math.min(MAX_WAIT_NANOS, now - newcomer.due));
        }

        void failed(Conn newcomer, long now) {
            failed++;
            unanswered(newcomer, now);
        }

        /** Sums up the window once its last newcomer is answered or gave up; the busy side is added by pause(). */
        Admission close() {
            long overflowsNow = ListenQueue.overflows();
            return new Admission(
                    launched,
                    unanswered,
                    failed,
                    waits,
                    lateness,
                    Double.NaN,
                    Double.NaN,
                    ListenQueue.backlog(server.getPort()),
                    overflowsNow < 0 || overflowsAtStart < 0 ? -1 : overflowsNow - overflowsAtStart);
        }
    }

    /**
     * A connection: a busy one keeps {@code depth} requests in flight while a window is open; a newcomer sends one
     * and is done when its echo is back. Requests are written from {@link #pattern}, so any number of them up to
     * {@code depth} goes out in one write.
     */
    private final class Conn {
        final SocketChannel channel;
        final boolean newcomer;
        final long due;
        private final Selector selector;
        private final ByteBuffer in;
        private final ByteBuffer out = ByteBuffer.wrap(pattern);
        private final long[] sentAt;
        private int sentHead;
        boolean connected;
        /** Requests sent or queued whose echo is not complete. */
        private int awaiting;

        private int unsentBytes;
        private int outOffset;
        private int receivedOffset;
        long echoes;

        Conn(boolean newcomer) throws IOException {
            this(newcomer, -1);
        }

        Conn(boolean newcomer, long due) throws IOException {
            this.newcomer = newcomer;
            this.due = due;
            this.sentAt = new long[newcomer ? 1 : depth];
            this.selector = newcomer ? newcomerSelector : busySelector;
            this.in = newcomer ? newcomerIn : busyIn;
            channel = SocketChannel.open();
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(server)) {
                    channel.register(selector, 0, this);
                    onConnected();
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                closeQuietly(channel); // a newcomer: counted failed by the window that opened it
                if (!newcomer) {
                    throw e;
                }
            }
        }

        void ready(SelectionKey key) throws IOException {
            if (key.isConnectable()) {
                channel.finishConnect();
                onConnected();
                return;
            }
            if (key.isWritable()) {
                flush();
            }
            if (key.isReadable()) {
                read();
            }
        }

        private void onConnected() throws IOException {
            connected = true;
            if (newcomer || busyRunning) {
                topUp();
            } else {
                queue(); // a busy connection's first request, before any window: the server takes it in
                flush();
            }
        }

        /** A busy connection: back to {@code depth} requests in flight; a newcomer: its one request. */
        void topUp() throws IOException {
            if (!connected) {
                return;
            }
            int limit = sentAt.length;
            if (newcomer && (awaiting > 0 || echoes > 0)) {
                return;
            }
            while (awaiting < limit) {
                queue();
            }
            flush();
        }

        private void queue() {
            sentAt[(sentHead + awaiting) % sentAt.length] = System.nanoTime();
            awaiting++;
            unsentBytes += payload.length;
        }

        private void flush() throws IOException {
            if (unsentBytes > 0) {
                out.limit(outOffset + unsentBytes).position(outOffset);
                int written = channel.write(out);
                unsentBytes -= written;
                outOffset = (outOffset + written) % payload.length;
            }
            channel.keyFor(selector).interestOps(SelectionKey.OP_READ | (unsentBytes > 0 ? SelectionKey.OP_WRITE : 0));
        }

        private void read() throws IOException {
            int n;
            while ((n = channel.read(in.clear())) > 0) {
                for (int i = 0; i < n; i++) {
                    if (in.get(i) != payload[receivedOffset]) {
                        throw new IOException("an echo byte differs from what was sent");
                    }
                    if (++receivedOffset == payload.length) {
                        receivedOffset = 0;
                        echoed();
                        if (!channel.isOpen()) {
                            return;
                        }
                    }
                }
            }
            if (n < 0) {
                throw new IOException("the server closed the connection with " + awaiting + " echo(es) due");
            }
        }

        private void echoed() throws IOException {
            if (awaiting == 0) {
                throw new IOException("more bytes came back than were sent");
            }
            long now = System.nanoTime();
            long sent = sentAt[sentHead];
            sentHead = (sentHead + 1) % sentAt.length;
            awaiting--;
            echoes++;
            if (newcomer) {
                newcomers.remove(this);
                closeQuietly(channel);
                if (window != null) {
                    window.answered(this, now);
                }
                return;
            }
            roundTrips.recordValue(Math.min(MAX_WAIT_NANOS, now - sent));
            completed.lazySet(completed.get() + 1); // one writer: the busy thread
            if (busyRunning) {
                topUp();
            }
        }

        /** A newcomer that was refused or reset counts as failed; a busy connection that breaks fails the load. */
        void broken(IOException e) {
            closeQuietly(channel);
            if (!newcomer) {
                throw new UncheckedIOException("a busy connection failed: " + e.getMessage(), e);
            }
            if (newcomers.remove(this)) {
                window.failed(this, System.nanoTime());
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing anyway.
        }
    }
}
