package lab.epoll.behaviour;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;

/**
 * One connection driven the way a pipelining client drives an echo server: a writer thread sends a
 * {@link Payload} without waiting for echoes, while a reader thread reads and checks what comes back. Nothing is
 * kept in memory but counters and checksums, so one stream can carry hundreds of MiB.
 *
 * <p>The writer sends in chunks of changing, odd sizes (1 B, 1460 B, 64 KiB + 1, ...), so the server sees
 * reads that straddle its buffer sizes in every way. Options:
 * <ul>
 *   <li>{@link #halfCloseWhenDone()}: after the last byte the writer shuts down its output (FIN) and the reader
 *       reads until EOF, so "exactly N bytes, then EOF" is checked; otherwise the reader stops after N bytes;</li>
 *   <li>{@link #window(int)}: the writer never has more than this many bytes unechoed, like a client with a
 *       bounded send buffer, so stopping it leaves little in flight;</li>
 *   <li>{@link #readAfter(CountDownLatch)}: the reader reads nothing until the latch opens (a stalled reader).</li>
 * </ul>
 */
final class EchoStream implements AutoCloseable {
    private static final int[] CHUNKS = {1, 1460, 65_537, 7, 4096, 100_000, 1023, 16_384, 65_535, 300_000};
    private static final int MAX_CHUNK = 300_000;

    private final Socket socket;
    private final Payload payload;
    private final String name;
    private long length = Long.MAX_VALUE;
    private boolean halfClose;
    private int window;
    private CountDownLatch readGate = new CountDownLatch(0);

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Object windowLock = new Object();
    private final CountDownLatch finished = new CountDownLatch(2);
    private final CRC32 sentCrc = new CRC32();
    private final Payload.Verifier verifier;
    private volatile boolean stopSending;
    private volatile boolean eof;
    private volatile boolean writerDone;
    private volatile Throwable writerError;
    private volatile Throwable readerError;

    private EchoStream(Socket socket, long seed, String name) {
        this.socket = socket;
        this.payload = new Payload(seed);
        this.verifier = payload.verifier();
        this.name = name;
    }

    /** Connects; {@code seed} picks the payload, so concurrent streams carry different bytes. */
    static EchoStream connect(InetSocketAddress address, long seed) {
        Socket socket = new Socket();
        try {
            socket.connect(address, 10_000);
            // A reader blocked this long means the server stopped echoing: fail rather than hang.
            socket.setSoTimeout(Math.toIntExact(ServerProcess.WAIT.toMillis()));
            return new EchoStream(socket, seed, "stream-" + seed + "-" + socket.getLocalPort());
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException("cannot connect to " + address, e);
        }
    }

    /** Sends exactly this many bytes; without it the writer sends until {@link #stopSending()}. */
    EchoStream length(long bytes) {
        this.length = bytes;
        return this;
    }

    EchoStream halfCloseWhenDone() {
        this.halfClose = true;
        return this;
    }

    EchoStream window(int bytes) {
        this.window = bytes;
        return this;
    }

    EchoStream readAfter(CountDownLatch gate) {
        this.readGate = gate;
        return this;
    }

    Socket socket() {
        return socket;
    }

    EchoStream start() {
        if (length == Long.MAX_VALUE && !halfClose) {
            throw new IllegalStateException("an endless stream must half-close when stopped, or it never ends");
        }
        daemon(this::write, name + "-writer").start();
        daemon(this::read, name + "-reader").start();
        return this;
    }

    /** The writer finishes its current chunk, then stops (and half-closes, if asked to). */
    void stopSending() {
        stopSending = true;
        synchronized (windowLock) {
            windowLock.notifyAll();
        }
    }

    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    boolean writerDone() {
        return writerDone;
    }

    private void write() {
        try {
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[MAX_CHUNK];
            for (int i = 0; sent.get() < length && !stopSending; i++) {
                int n = (int) Math.min(CHUNKS[i % CHUNKS.length], length - sent.get());
                if (window > 0) {
                    n = Math.min(n, window);
                    synchronized (windowLock) {
                        while (sent.get() - received.get() + n > window
                                && !stopSending
                                && readerError == null
                                && !eof) {
                            windowLock.wait(100);
                        }
                    }
                    if (stopSending) {
                        break;
                    }
                }
                payload.fill(chunk, 0, n, sent.get());
                out.write(chunk, 0, n);
                sentCrc.update(chunk, 0, n);
                sent.addAndGet(n);
            }
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
        } catch (Throwable t) {
            writerError = t;
        } finally {
            writerDone = true;
            finished.countDown();
        }
    }

    private void read() {
        try {
            readGate.await();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (halfClose || received.get() < length) {
                int r = in.read(buffer);
                if (r < 0) {
                    eof = true;
                    break;
                }
                verifier.update(buffer, 0, r);
                received.addAndGet(r);
                if (window > 0) {
                    synchronized (windowLock) {
                        windowLock.notifyAll();
                    }
                }
            }
        } catch (Throwable t) {
            readerError = t;
        } finally {
            finished.countDown();
            synchronized (windowLock) {
                windowLock.notifyAll();
            }
        }
    }

    /** Waits for both threads to finish; on timeout fails with how far each got, and closes the socket. */
    Result await(Duration timeout) {
        try {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String state = name + " did not finish within " + timeout + ": sent " + sent + ", received " + received
                        + ", writer done " + writerDone + ", eof " + eof;
                close();
                throw new AssertionError(state);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // The latch orders the writer's last CRC update before this read.
        return new Result(
                name,
                sent.get(),
                sentCrc.getValue(),
                received.get(),
                verifier.crc32(),
                verifier.firstMismatch(),
                eof,
                writerError,
                readerError);
    }

    /**
     * After {@link #await} (both threads done, output still open): sends {@code data} and reads exactly as many
     * bytes back on the same connection.
     */
    byte[] roundTrip(byte[] data) {
        try {
            socket.getOutputStream().write(data);
            socket.getOutputStream().flush();
            return socket.getInputStream().readNBytes(data.length);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": round trip after the stream", e);
        }
    }

    @Override
    public void close() {
        stopSending();
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** What one stream sent and got back. */
    record Result(
            String name,
            long sent,
            long sentCrc,
            long received,
            long receivedCrc,
            long firstMismatch,
            boolean eof,
            Throwable writerError,
            Throwable readerError) {

        /** True if every byte sent came back, in order, unchanged, and nothing else came back. */
        boolean intact() {
            return writerError == null
                    && readerError == null
                    && received == sent
                    && receivedCrc == sentCrc
                    && firstMismatch < 0;
        }

        @Override
        public String toString() {
            return name + ": sent " + sent + " B (crc32 " + Long.toHexString(sentCrc) + "), received " + received
                    + " B (crc32 " + Long.toHexString(receivedCrc) + ")"
                    + (firstMismatch >= 0 ? ", first wrong byte at " + firstMismatch : "")
                    + (eof ? ", then EOF" : "")
                    + (writerError != null ? ", writer failed: " + writerError : "")
                    + (readerError != null ? ", reader failed: " + readerError : "");
        }
    }
}
