package lab.epoll.behaviour;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import lab.epoll.testkit.Payload;

/**
 * Many peers that upload and do not read, from one thread: non-blocking NIO connections on one selector, each
 * sending {@code bytesEach} bytes of its own {@link Payload} as fast as the kernel takes them and reading nothing
 * until {@link #startReading()}; then each reads its whole echo back and checks it. Two thousand of them cost
 * two thousand fds and one thread, and nothing is kept per connection but counters and a checker.
 *
 * <p>The clients' receive buffers are fixed small ({@value #CLIENT_RCVBUF} B, which also stops the kernel's
 * autotuning), so the echo path backs up into the server after a few hundred KiB and the attack needs little
 * traffic.
 */
final class StalledUploaders implements AutoCloseable {
    static final int CLIENT_RCVBUF = 64 * 1024;
    private static final int CHUNK = 64 * 1024;

    private final Selector selector;
    private final List<Upload> uploads = new ArrayList<>();
    private final long bytesEach;
    private final byte[] scratch = new byte[CHUNK];
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final CountDownLatch reading = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closing;

    private static final class Upload {
        final int index;
        final Payload payload;
        final Payload.Verifier verifier;
        final SocketChannel channel;
        long sent;
        long received;

        Upload(int index, SocketChannel channel) {
            this.index = index;
            this.payload = new Payload(1_000_000L + index);
            this.verifier = payload.verifier();
            this.channel = channel;
        }
    }

    private StalledUploaders(InetSocketAddress server, int connections, long bytesEach) throws IOException {
        this.selector = Selector.open();
        this.bytesEach = bytesEach;
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, CLIENT_RCVBUF);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(server); // blocking: the server's backlog takes them as fast as this loop runs
            channel.configureBlocking(false);
            Upload upload = new Upload(i, channel);
            uploads.add(upload);
            channel.register(selector, SelectionKey.OP_WRITE, upload);
        }
        thread = new Thread(this::run, "stalled-uploaders");
        thread.setDaemon(true);
    }

    /** Connects {@code connections} peers and starts their uploads of {@code bytesEach} bytes each. */
    static StalledUploaders start(InetSocketAddress server, int connections, long bytesEach) {
        try {
            StalledUploaders swarm = new StalledUploaders(server, connections, bytesEach);
            swarm.thread.start();
            return swarm;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect the stalled uploaders to " + server, e);
        }
    }

    /** Bytes the kernel has taken from all uploads so far. */
    long sent() {
        return sent.get();
    }

    long received() {
        return received.get();
    }

    /** From now on every peer reads its echo. */
    void startReading() {
        reading.countDown();
        selector.wakeup();
    }

    /**
     * Waits until every peer has sent all and read all back, intact; returns the failures (empty when all
     * arrived intact), or fails at {@code timeout} with how far they got.
     */
    List<String> awaitEchoes(Duration timeout) throws InterruptedException {
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the stalled uploaders did not finish within " + timeout + ": sent " + sent
                    + " of " + bytesEach * uploads.size() + ", received " + received);
        }
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    private void run() {
        int finished = 0;
        boolean readInterest = false;
        try {
            while (!closing && finished < uploads.size()) {
                selector.select(100);
                if (!readInterest && reading.getCount() == 0) {
                    readInterest = true;
                    for (SelectionKey key : selector.keys()) {
                        key.interestOps(key.interestOps() | SelectionKey.OP_READ);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Upload upload = (Upload) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            write(upload, key);
                        }
                        if (key.isValid() && key.isReadable() && read(upload, key)) {
                            finished++;
                        }
                    } catch (IOException e) {
                        fail(upload, e.toString());
                        key.cancel();
                        finished++;
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            synchronized (failures) {
                failures.add("selector failed: " + e);
            }
        } finally {
            done.countDown();
        }
    }

    private void write(Upload upload, SelectionKey key) throws IOException {
        while (upload.sent < bytesEach) {
            int n = (int) Math.min(CHUNK, bytesEach - upload.sent);
            upload.payload.fill(scratch, 0, n, upload.sent);
            int written = upload.channel.write(ByteBuffer.wrap(scratch, 0, n));
            upload.sent += written;
            sent.addAndGet(written);
            if (written < n) {
                return; // the kernel is full: OP_WRITE says when it has room
            }
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }

    /** True once this upload's whole echo is back (checked) or it failed. */
    private boolean read(Upload upload, SelectionKey key) throws IOException {
        int n = upload.channel.read(ByteBuffer.wrap(scratch));
        if (n < 0) {
            fail(upload, "EOF after " + upload.received + " of " + bytesEach + " echoed bytes");
            key.cancel();
            return true;
        }
        upload.verifier.update(scratch, 0, n);
        upload.received += n;
        received.addAndGet(n);
        if (upload.received < bytesEach) {
            return false;
        }
        if (upload.verifier.firstMismatch() >= 0) {
            fail(upload, "echo differs from what was sent at byte " + upload.verifier.firstMismatch());
        }
        key.cancel();
        return true;
    }

    private void fail(Upload upload, String why) {
        synchronized (failures) {
            if (failures.size() < 20) {
                failures.add("upload " + upload.index + ": " + why);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Upload upload : uploads) {
            try {
                upload.channel.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
