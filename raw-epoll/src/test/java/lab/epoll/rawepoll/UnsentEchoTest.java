package lab.epoll.rawepoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import lab.epoll.common.cli.RecvAllocatorSpec;
import lab.epoll.common.server.PendingBudget;
import org.junit.jupiter.api.Test;

/**
 * The water marks count buffers as Netty's write queue does, on a real loopback connection whose peer sends one
 * byte per segment and reads nothing: each byte becomes a buffer of its own, and the high water mark must pause
 * reading after a few hundred of them (64 KiB / (1 + 96) bytes), not after 65,536. The server-wide
 * {@link PendingBudget} is handed the same count, and gets all of it back when the echo is dropped.
 */
class UnsentEchoTest {
    static final int LOW = 32 * 1024;
    static final int HIGH = 64 * 1024;

    @Test
    void eachBufferCountsItsOverheadAgainstTheHighWaterMark() throws IOException {
        Epoll.ensureAvailability(); // loads the native library the sockets below live in
        Socket listener = Socket.newSocketStream();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.listen(1);
        try (java.net.Socket peer = new java.net.Socket()) {
            peer.setTcpNoDelay(true);
            peer.connect(listener.localAddress());
            Socket server = new Socket(acceptOne(listener));
            try {
                PendingBudget budget = new PendingBudget(1L << 30);
                UnsentEcho unsent = new UnsentEcho(LOW, HIGH, budget);
                ReadSizer sizer = new ReadSizer(RecvAllocatorSpec.ADAPTIVE);
                OutputStream out = peer.getOutputStream();
                int buffers = 0;
                while (!unsent.overHighWaterMark() && buffers <= HIGH) {
                    out.write(buffers); // one byte, one segment
                    readOneByte(unsent, server, sizer);
                    buffers++;
                    // The peer never reads; the kernel still finds room now and then (it grows and packs its
                    // buffers): taking that first keeps the test about what the echo holds.
                    fillTheWayBack(server);
                    unsent.flush(server);
                }
                int expected = HIGH / (1 + PendingBudget.BUFFER_OVERHEAD) + 1;
                assertThat(buffers)
                        .as("one-byte buffers queued when the high water mark paused reading")
                        .isEqualTo(expected);
                assertThat(unsent.bytes())
                        .as("what the stats line reports: bytes plus overhead")
                        .isEqualTo(expected * (1 + PendingBudget.BUFFER_OVERHEAD));
                assertThat(budget.pending())
                        .as("what the server-wide budget holds")
                        .isEqualTo(unsent.bytes());
                unsent.release();
                assertThat(budget.pending())
                        .as("the budget after the echo was dropped")
                        .isZero();
            } finally {
                server.close();
            }
        } finally {
            listener.close();
        }
    }

    private static int acceptOne(Socket listener) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        byte[] address = new byte[26];
        while (System.nanoTime() < deadline) {
            int fd = listener.accept(address);
            if (fd >= 0) {
                return fd;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the loopback connection was never accepted");
    }

    /** Writes until the kernel takes no more: the peer's receive buffer and our send buffer are full. */
    private static void fillTheWayBack(Socket server) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocateDirect(256 * 1024);
        while (server.write(chunk, 0, chunk.capacity()) > 0) {
            chunk.clear();
        }
    }

    /** Loopback delivers within the peer's write(2); retries only cover a scheduler hiccup. */
    private static void readOneByte(UnsentEcho unsent, Socket server, ReadSizer sizer) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int n = unsent.readFrom(server, sizer, UnpooledByteBufAllocator.DEFAULT);
            if (n > 0) {
                assertThat(n).as("bytes in one read").isEqualTo(1);
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the peer's byte never arrived");
    }
}
