package lab.epoll.blocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import lab.epoll.common.server.ConnectionEnds.Reason;
import lab.epoll.common.server.HostPort;
import lab.epoll.common.server.MinProgress;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;

/**
 * One connection on its own thread: read what the peer sent, write it back, until the peer closes. The write
 * blocks while the peer does not read, so the connection never holds more than one read of unsent echo: that is
 * its water mark. The server-wide budget counts the read from the moment it is in hand until it is written.
 *
 * <p>Other threads end a connection by closing its socket ({@link #close}): the blocked read or write then fails,
 * and {@link #run} ends with the reason they gave rather than counting an error.
 */
final class BlockingConnection implements Runnable {
    private final Socket socket;
    private final String name;
    private final byte[] buffer;
    private final ThreadPerConnectionServer server;
    private final ConnectionStats stats;
    private final PendingBudget budget;
    private final BudgetGate gate;
    private final MinProgress progress;
    private volatile long lastActivityNanos = System.nanoTime();
    /** Why another thread closed the connection; {@code null} while none has. */
    private volatile Reason closedBy;

    private long bytesIn;
    private long bytesOut;

    BlockingConnection(
            Socket socket,
            int bufferBytes,
            long minProgress,
            ThreadPerConnectionServer server,
            ConnectionStats stats,
            PendingBudget budget,
            BudgetGate gate) {
        this.socket = socket;
        this.name = HostPort.format((java.net.InetSocketAddress) socket.getRemoteSocketAddress());
        this.buffer = new byte[bufferBytes];
        this.server = server;
        this.stats = stats;
        this.budget = budget;
        this.gate = gate;
        this.progress = new MinProgress(minProgress);
    }

    @Override
    public void run() {
        Reason reason = Reason.PEER;
        try {
            echoUntilTheEnd(socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            if (closedBy == null) {
                reason = Reason.ERROR;
                server.peerFailed(this, e);
            }
        } catch (InterruptedException e) {
            reason = Reason.SHUTDOWN;
        } catch (RuntimeException | Error e) {
            reason = Reason.ERROR;
            server.failed(this, e);
        } finally {
            closeSocket();
            server.finished(this, closedBy != null ? closedBy : reason);
        }
    }

    private void echoUntilTheEnd(InputStream in, OutputStream out) throws IOException, InterruptedException {
        for (; ; ) {
            gate.awaitRoom(() -> closedBy != null);
            if (closedBy != null) {
                return;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return; // the peer closed its side, and everything it sent has been echoed
            }
            moved(n);
            bytesIn += n;
            stats.bytesIn(n);
            long held = n + PendingBudget.BUFFER_OVERHEAD;
            budget.add(held);
            server.pendingOut(n);
            try {
                out.write(buffer, 0, n);
            } finally {
                server.pendingOut(-n);
                budget.remove(held);
            }
            moved(n);
            bytesOut += n;
            stats.bytesOut(n);
        }
    }

    private void moved(int bytes) {
        if (progress.moved(bytes)) {
            lastActivityNanos = System.nanoTime();
        }
    }

    /** Ends the connection from another thread: its blocked read or write fails, its thread finishes it. */
    void close(Reason reason) {
        if (closedBy == null) {
            closedBy = reason;
        }
        closeSocket();
        gate.wakeAll();
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that was asked; a failure leaves nothing to undo.
        }
    }

    long idleNanos(long now) {
        return now - lastActivityNanos;
    }

    String name() {
        return name;
    }

    long bytesIn() {
        return bytesIn;
    }

    long bytesOut() {
        return bytesOut;
    }
}
