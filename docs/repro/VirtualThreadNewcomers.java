import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A thread-per-connection echo server on virtual threads, JDK only: with one carrier thread, a saturated server
 * never serves new connections, although it accepts them. Run it on one CPU so the server is saturated:
 *   taskset -c 0 java -Djdk.virtualThreadScheduler.parallelism=1 VirtualThreadNewcomers.java 2000
 * then with parallelism=2. Needs Java 21+. BUSY connections echo 64 bytes in a closed loop while 200 newcomers a
 * second each connect, send 64 bytes and wait at most 5 s for the echo.
 */
public class VirtualThreadNewcomers {
    public static void main(String[] args) throws Exception {
        int busy = Integer.parseInt(args[0]);
        ServerSocket listener = new ServerSocket(0, 4096, java.net.InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                try {
                    Socket s = listener.accept();
                    Thread.ofVirtual().start(() -> echo(s));
                } catch (Exception e) {
                    return;
                }
            }
        });
        InetSocketAddress addr = (InetSocketAddress) listener.getLocalSocketAddress();

        // Busy connections: a closed loop of 64-byte echoes, all on one selector thread.
        Selector busySel = Selector.open();
        for (int i = 0; i < busy; i++) {
            SocketChannel c = SocketChannel.open(addr);
            c.configureBlocking(false).register(busySel, SelectionKey.OP_READ);
            c.write(ByteBuffer.allocate(64));
        }
        Thread loop = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    busySel.select(k -> {
                        try {
                            SocketChannel c = (SocketChannel) k.channel();
                            int n = c.read(in.clear());
                            for (int echoes = n / 64; echoes > 0; echoes--) c.write(ByteBuffer.allocate(64));
                        } catch (Exception e) { k.cancel(); }
                    });
                }
            } catch (Exception e) { }
        });
        loop.setDaemon(true);
        loop.start();
        Thread.sleep(2000);

        // Newcomers: 200 a second for 5 s, each connects, sends 64 bytes and times its echo (5 s at most).
        List<Long> waits = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            long due = start + i * 5_000_000L;
            while (System.nanoTime() < due) Thread.onSpinWait();
            Thread t = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(addr, 5000);
                    s.setSoTimeout((int) Math.max(1, 5000 - (System.nanoTime() - due) / 1_000_000));
                    s.getOutputStream().write(new byte[64]);
                    s.getInputStream().readNBytes(64);
                    synchronized (waits) { waits.add(System.nanoTime() - due); }
                } catch (Exception timedOut) { }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) t.join();
        Collections.sort(waits);
        System.out.printf("Java %s, %s carrier(s), %d busy: %d of 1000 newcomers unanswered after 5 s; wait p50 %s,"
                        + " p99 %s (unanswered count as more than 5 s)%n", Runtime.version(),
                System.getProperty("jdk.virtualThreadScheduler.parallelism", "default"), busy, 1000 - waits.size(),
                at(waits, 500), at(waits, 990));
        System.exit(0);
    }

    private static void echo(Socket s) {
        byte[] buf = new byte[8192];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (Exception peerGone) { }
    }

    private static String at(List<Long> sortedWaits, int rank) {
        return rank < sortedWaits.size() ? sortedWaits.get(rank) / 1_000_000 + " ms" : "> 5 s";
    }
}
