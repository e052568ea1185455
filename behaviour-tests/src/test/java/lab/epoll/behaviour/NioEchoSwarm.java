package lab.epoll.behaviour;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import lab.epoll.testkit.Payload;

/**
 * Many concurrent connections from one thread: non-blocking NIO {@link SocketChannel}s on one {@link Selector},
 * so ten thousand connections cost ten thousand fds and no threads (Java 17 has no virtual threads). Each
 * connection connects, sends its own message (a {@link Payload} seeded with its index, so a crossed echo is
 * caught), reads the echo back and checks it, then stays open until {@link #close()}.
 *
 * <p>At most {@code maxInFlight} connections are between "connect started" and "echo checked" at once, which
 * keeps the server's accept queue (its {@code --backlog}) from overflowing into SYN retransmits that would
 * only make the test slow.
 */
final class NioEchoSwarm implements AutoCloseable {
    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int echoed;
    private int failed;

    private NioEchoSwarm() throws IOException {
        this.selector = Selector.open();
    }

    /** Opens {@code connections} connections and has each echo a {@code messageBytes} message; returns when all
     *  are echoed or failed, or at {@code timeout}. The connections stay open. */
    static NioEchoSwarm run(
            InetSocketAddress server, int connections, int messageBytes, int maxInFlight, Duration timeout)
            throws IOException {
        NioEchoSwarm swarm = new NioEchoSwarm();
        try {
            swarm.drive(server, connections, messageBytes, maxInFlight, timeout);
            return swarm;
        } catch (IOException | RuntimeException e) {
            swarm.close();
            throw e;
        }
    }

    private static final class Conn {
        final int index;
        final ByteBuffer out;
        final ByteBuffer in;
        final byte[] expected;

        Conn(int index, int messageBytes) {
            this.index = index;
            this.expected = new Payload(index).bytes(0, messageBytes);
            this.out = ByteBuffer.wrap(expected.clone());
            this.in = ByteBuffer.allocate(messageBytes);
        }
    }

    private void drive(InetSocketAddress server, int connections, int messageBytes, int maxInFlight, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int started = 0;
        int inFlight = 0;
        while (echoed + failed < connections) {
            while (started < connections && inFlight < maxInFlight) {
                Conn conn = new Conn(started++, messageBytes);
                inFlight++;
                SocketChannel channel = SocketChannel.open();
                channels.add(channel);
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT, conn);
                    if (channel.connect(server)) {
                        connected(key, channel, conn);
                    }
                } catch (IOException e) {
                    fail(conn, null, e.toString());
                    inFlight--;
                }
            }
            if (System.nanoTime() > deadline) {
                failures.add("timed out after " + timeout + ": " + (connections - echoed - failed)
                        + " connection(s) unfinished, " + (connections - started) + " never started");
                failed += connections - echoed - failed;
                return;
            }
            selector.select(100);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                Conn conn = (Conn) key.attachment();
                SocketChannel channel = (SocketChannel) key.channel();
                try {
                    if (key.isConnectable()) {
                        channel.finishConnect();
                        connected(key, channel, conn);
                    } else if (key.isWritable()) {
                        writeSome(key, channel, conn);
                    } else if (key.isReadable()) {
                        if (channel.read(conn.in) < 0) {
                            fail(conn, key, "EOF after " + conn.in.position() + " of " + messageBytes + " bytes");
                            inFlight--;
                        } else if (!conn.in.hasRemaining()) {
                            if (Arrays.equals(conn.in.array(), conn.expected)) {
                                echoed++;
                            } else {
                                fail(conn, key, "echo differs from what was sent");
                            }
                            key.interestOps(0);
                            inFlight--;
                        }
                    }
                } catch (IOException e) {
                    fail(conn, key, e.toString());
                    inFlight--;
                }
            }
        }
    }

    private void connected(SelectionKey key, SocketChannel channel, Conn conn) throws IOException {
        writeSome(key, channel, conn);
    }

    private void writeSome(SelectionKey key, SocketChannel channel, Conn conn) throws IOException {
        channel.write(conn.out);
        key.interestOps(conn.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void fail(Conn conn, SelectionKey key, String why) {
        failed++;
        if (failures.size() < 20) {
            failures.add("connection " + conn.index + ": " + why);
        }
        if (key != null) {
            key.cancel();
        }
    }

    int echoed() {
        return echoed;
    }

    int failed() {
        return failed;
    }

    /** The first failures (at most 20), for the assertion message. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Closes every connection: the server sees ten thousand FINs. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
