package lab.epoll.rawepoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One {@code read(2)} from a raw socket into a Netty buffer. */
public final class SocketReads {
    private SocketReads() {
    }

    /**
     * Reads up to {@code size} bytes into {@code buf}'s writable space and advances its writer index: the bytes
     * read, 0 for {@code EAGAIN}, -1 at end of stream; a reset throws.
     */
    public static int read(Socket socket, ByteBuf buf, int size) throws IOException {
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
}
