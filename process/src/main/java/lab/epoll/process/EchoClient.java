package lab.epoll.process;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A plain blocking TCP client for tests: what {@code nc} does, with byte-exact reads and timeouts. Every read has
 * a timeout, so a server that stops echoing fails the test instead of hanging it.
 */
public final class EchoClient implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private EchoClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static EchoClient connect(InetSocketAddress address) {
        return connect(address, DEFAULT_TIMEOUT);
    }

    public static EchoClient connect(InetSocketAddress address, Duration readTimeout) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
            return new EchoClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + address, e);
        }
    }

    public Socket socket() {
        return socket;
    }

    /** The client's own port: the server sees it as the remote port of the accepted socket. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(byte[] data) {
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly {@code n} bytes, or fails on EOF or timeout. */
    public byte[] readExactly(int n) {
        byte[] data = new byte[n];
        int read = 0;
        try {
            while (read < n) {
                int r = in.read(data, read, n - read);
                if (r < 0) {
                    throw new EOFException("EOF after " + read + " of " + n + " bytes");
                }
                read += r;
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + n + " bytes (got " + read + ")", e);
        }
    }

    /** Bytes that have arrived and can be read without blocking. */
    public int available() {
        try {
            return in.available();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code data} and reads back as many bytes. */
    public byte[] roundTrip(byte[] data) {
        send(data);
        return readExactly(data.length);
    }

    /** Half-closes: the server reads EOF (and, on epoll, sees EPOLLRDHUP) but may still write to us. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if the server closed its side: the next read returns EOF (within the read timeout). */
    public boolean readsEof() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            // A reset also means the server is gone.
            return true;
        }
    }

    /** Closes with SO_LINGER 0, so the server gets a reset (RST) instead of an orderly FIN. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        close();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort in tests.
        }
    }
}
