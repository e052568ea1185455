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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open-loop client: requests leave at a fixed offered rate whatever the server does, and each request's
 * latency runs from the moment it was <em>due</em> to the last byte of its echo. A server that stalls for 300 ms
 * is charged for every request that fell due meanwhile, not once per connection as in a closed loop, where a
 * stalled server also stalls the sender (coordinated omission).
 *
 * <p>One thread does everything, so nothing competes with it for the client's CPU: request {@code i} is due at
 * {@code start + i / rate} and goes to connection {@code i mod C}; between sends the thread reads echoes, in a
 * selector while the next request is more than 2 ms away and spinning ({@code selectNow}) when it is closer,
 * which keeps the schedule to microseconds at the price of a busy CPU. How late each request left is recorded
 * (the pacing error), so the schedule's accuracy is part of the result. When the server stops reading, the
 * schedule goes on: requests queue on their connections (TCP keeps them in order) until the socket buffers fill,
 * then in the client. An echo server answers in order, so each {@code payloadLength} bytes received on a
 * connection complete its oldest request.
 *
 * <p>Plain JDK sockets (non-blocking, {@code TCP_NODELAY}) rather than Netty's: the thread must write at the
 * moment it chooses.
 */
public final class OpenLoopLoad implements ClientLoad {
    private static final long SELECT_AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What the schedule did over one measurement: the rate it was asked for, and how late requests left. */
    public record Pacing(double offeredPerSecond, Histogram lateness) {}

    private final double rate;
    private final int payloadLength;
    private final ByteBuffer payload;
    private final List<Connection> connections = new ArrayList<>();
    private final Selector selector;
    private final AtomicLong completed = new AtomicLong();
    private final Recorder latencies = new Recorder(MAX_LATENCY_NANOS, 3);
    private final Recorder lateness = new Recorder(MAX_LATENCY_NANOS, 3);
    private final Thread thread;
    /** Bumped by each resume(): the thread starts a fresh schedule when it sees a new value. */
    private volatile long schedule;

    private volatile boolean running;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final StallWatch stallWatch = new StallWatch(this::completed, () -> running);

    /** {@code rate} requests per second over all connections, of {@code payloadLength} bytes each. */
    public OpenLoopLoad(double rate, int payloadLength) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be > 0, not " + rate);
        }
        this.rate = rate;
        this.payloadLength = payloadLength;
        byte[] bytes = new byte[payloadLength];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        this.payload = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, "open-loop-client");
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code count} connections and returns once each has had one echo back: a finished connect only means
     * the kernel completed the handshake, and a measurement started before the server accepted every socket
     * would miss the threads it starts for them. Sending on schedule starts with {@link #resume()}.
     */
    public void connect(InetSocketAddress server, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(server);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            Connection connection = new Connection(channel);
            connections.add(connection);
            channel.register(selector, SelectionKey.OP_READ, connection);
            connection.queue(System.nanoTime()); // the first echo, sent by the thread once it runs
        }
        thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (completed.get() < count) {
            if (failure != null || System.nanoTime() - deadline > 0) {
                throw new IOException(
                        completed.get() + " of " + count + " connections had an echo back within 60 s of connecting",
                        failure);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /** Starts a fresh schedule from now: requests missed while paused are not sent in a burst afterwards. */
    @Override
    public void resume() {
        schedule++;
        running = true;
        selector.wakeup(); // it may be waiting for echoes with no request due
    }

    @Override
    public void pause() {
        running = false;
    }

    /** Reads what a ready connection has; every full payload completes its oldest request. */
    private final Consumer<SelectionKey> reader = new Consumer<>() {
        private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

        @Override
        public void accept(SelectionKey key) {
            Connection connection = (Connection) key.attachment();
            try {
                int read;
                while ((read = connection.channel.read(in.clear())) > 0) {
                    connection.received(read);
                }
                if (read < 0) {
                    throw new IOException("the server closed a connection");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private void run() {
        double intervalNanos = 1e9 / rate;
        long seenSchedule = -1;
        long start = 0;
        long sent = 0;
        int n = connections.size();
        try {
            while (!closed) {
                long now = System.nanoTime();
                long nextDue = Long.MAX_VALUE;
                if (running) {
                    if (schedule != seenSchedule) {
                        seenSchedule = schedule;
                        start = now;
                        sent = 0;
                    }
                    for (long due = start + (long) (sent * intervalNanos);
                            due <= now;
                            due = start + (long) (sent * intervalNanos)) {
                        lateness.recordValue(Math.min(MAX_LATENCY_NANOS, now - due));
                        connections.get((int) (sent % n)).queue(due);
                        sent++;
                    }
                    nextDue = start + (long) (sent * intervalNanos);
                }
                // Indexed loops and the selector's action form: the spinning loop must allocate nothing, or the
                // garbage it makes turns into GC pauses in the schedule.
                for (int c = 0; c < n; c++) {
                    connections.get(c).flush();
                }
                long wait = nextDue - System.nanoTime();
                if (wait > SELECT_AHEAD_NANOS) {
                    selector.select(reader, Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait - SELECT_AHEAD_NANOS)));
                } else {
                    selector.selectNow(reader);
                }
            }
        } catch (UncheckedIOException e) {
            if (!closed) {
                failure = e.getCause();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failure = e;
            }
        }
    }

    @Override
    public long completed() {
        return completed.get();
    }

    @Override
    public long sleepAndCount(long millis) throws InterruptedException {
        return stallWatch.sleepAndCount(millis, () -> failure, "the open-loop client");
    }

    @Override
    public Histogram takeLatencies() {
        return latencies.getIntervalHistogram();
    }

    @Override
    public Pacing takePacing() {
        return new Pacing(rate, lateness.getIntervalHistogram());
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public void close() {
        running = false;
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : connections) {
            try {
                connection.channel.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    /** One connection: the due times of its requests in flight, oldest first, and what is left to write. */
    private final class Connection {
        final SocketChannel channel;
        private final DueTimes due = new DueTimes();
        private final ByteBuffer out = payload.duplicate();
        private long unsent; // requests queued but not yet (wholly) written
        private int received; // bytes of the oldest outstanding echo received so far

        Connection(SocketChannel channel) {
            this.channel = channel;
            out.position(out.limit());
        }

        void queue(long dueNanos) {
            due.add(dueNanos);
            unsent++;
        }

        /** Writes queued requests until done or the socket's send buffer is full. */
        void flush() throws IOException {
            while (unsent > 0) {
                if (!out.hasRemaining()) {
                    out.rewind();
                }
                channel.write(out);
                if (out.hasRemaining()) {
                    return;
                }
                unsent--;
            }
        }

        /** {@code n} more bytes arrived; every full payload completes the oldest request. */
        void received(int n) {
            received += n;
            while (received >= payloadLength) {
                received -= payloadLength;
                latencies.recordValue(Math.min(MAX_LATENCY_NANOS, System.nanoTime() - due.take()));
                completed.lazySet(completed.get() + 1); // one writer: the client's thread
            }
        }
    }

    /** A growable ring of due times: one thread adds and takes. */
    private static final class DueTimes {
        private long[] times = new long[64];
        private int head;
        private int size;

        void add(long time) {
            if (size == times.length) {
                long[] bigger = new long[times.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = times[(head + i) % times.length];
                }
                times = bigger;
                head = 0;
            }
            times[(head + size) % times.length] = time;
            size++;
        }

        long take() {
            if (size == 0) {
                throw new IllegalStateException("an echo arrived for a request that was never sent");
            }
            long time = times[head];
            head = (head + 1) % times.length;
            size--;
            return time;
        }
    }
}
