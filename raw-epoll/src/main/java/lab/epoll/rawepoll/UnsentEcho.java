package lab.epoll.rawepoll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import lab.epoll.common.server.PendingBudget;

/**
 * Echo a connection has read but not yet sent (reads land here, {@link #flush} sends), and the backpressure it
 * implies: above {@code high} bytes the connection should stop reading (the peer is not reading its echo, and
 * memory must stay bounded); below {@code low} it may read again. The same water marks as Netty's
 * {@code WRITE_BUFFER_WATER_MARK}, counted as Netty counts them: each buffer's bytes plus
 * {@link PendingBudget#BUFFER_OVERHEAD} for the buffer itself. Counting bytes alone let a peer that sends 1-byte
 * segments and never reads make a connection hold some 20,000 buffers (~3 MB) below a 64 KiB mark. The same
 * count goes to the server's {@link PendingBudget}, from the read to the write (or the drop).
 *
 * <p>Owned by one thread at a time (the connection's owner); only {@link #bytes()} may be read by others.
 */
public final class UnsentEcho {
    private final ArrayDeque<ByteBuf> buffers = new ArrayDeque<>();
    private final int low;
    private final int high;
    private final PendingBudget budget;
    /** Bytes waiting, plus {@link PendingBudget#BUFFER_OVERHEAD} per buffer. */
    private volatile int bytes;

    private boolean overHigh;

    public UnsentEcho(int low, int high, PendingBudget budget) {
        this.low = low;
        this.high = high;
        this.budget = budget;
    }

    /**
     * One {@code read(2)} of the size {@code sizer} asks for, into a new buffer from {@code allocator} that joins
     * the unsent echo: the bytes read, 0 for {@code EAGAIN}, -1 at end of stream (the sizer hears each); a reset
     * throws. Only the read's data is kept: an empty buffer is released at once.
     */
    public int readFrom(Socket socket, ReadSizer sizer, ByteBufAllocator allocator) throws IOException {
        int size = sizer.next();
        ByteBuf buf = allocator.directBuffer(size);
        int n;
        try {
            n = read(socket, buf, size);
        } catch (IOException e) {
            buf.release();
            throw e;
        }
        sizer.read(n);
        if (n <= 0) {
            buf.release();
        } else {
            buffers.add(buf);
            bytes += n + PendingBudget.BUFFER_OVERHEAD;
            budget.add(n + PendingBudget.BUFFER_OVERHEAD);
        }
        return n;
    }

    /**
     * Writes until everything is sent or the socket's send buffer is full ({@code EAGAIN} or a partial write);
     * returns the bytes written. A reset or broken pipe throws.
     */
    public int flush(Socket socket) throws IOException {
        int total = 0;
        while (!buffers.isEmpty()) {
            ByteBuf buf = buffers.peek();
            int readable = buf.readableBytes();
            int written = write(socket, buf);
            if (written > 0) {
                buf.skipBytes(written);
                bytes -= written;
                budget.remove(written);
                total += written;
            }
            if (written < readable) {
                break;
            }
            buffers.poll().release();
            bytes -= PendingBudget.BUFFER_OVERHEAD;
            budget.remove(PendingBudget.BUFFER_OVERHEAD);
        }
        if (bytes > high) {
            overHigh = true;
        } else if (overHigh && bytes < low) {
            overHigh = false;
        }
        return total;
    }

    /** Reads up to {@code size} bytes into {@code buf}'s writable space and advances its writer index. */
    private static int read(Socket socket, ByteBuf buf, int size) throws IOException {
        int index = buf.writerIndex();
        int n;
        if (buf.hasMemoryAddress()) {
            n = socket.readAddress(buf.memoryAddress(), index, index + size);
        } else {
            ByteBuffer nio = buf.internalNioBuffer(index, size);
            n = socket.read(nio, nio.position(), nio.limit());
        }
        if (n > 0) {
            buf.writerIndex(index + n);
        }
        return n;
    }

    private static int write(Socket socket, ByteBuf buf) throws IOException {
        int index = buf.readerIndex();
        int end = buf.writerIndex();
        if (buf.hasMemoryAddress()) {
            return socket.writeAddress(buf.memoryAddress(), index, end);
        }
        ByteBuffer nio = buf.internalNioBuffer(index, end - index);
        return socket.write(nio, nio.position(), nio.limit());
    }

    public boolean isEmpty() {
        return buffers.isEmpty();
    }

    /** Whether reading should pause: more than {@code high} bytes waited at the last flush, not yet below {@code low}. */
    public boolean overHighWaterMark() {
        return overHigh;
    }

    /** Any thread: bytes waiting plus each buffer's overhead, as Netty reports its pending writes; for the stats line. */
    public int bytes() {
        return bytes;
    }

    /** Drops everything unsent (the connection is closing). */
    public void release() {
        while (!buffers.isEmpty()) {
            buffers.poll().release();
        }
        budget.remove(bytes);
        bytes = 0;
    }
}
