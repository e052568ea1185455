package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak: a steady, verified echo load while hostile connections keep arriving, for {@code lab.soak.seconds}
 * (1 s in the suite; docs/testing.md's reliability figures come from a longer run). {@code lab.soak.clients} clients
 * (default 16) each send 512 B and check every byte of its echo, over and over; beside them one thread opens a
 * faulty connection every {@code lab.soak.faultEveryMillis} (default 50), cycling through the {@link Fault}s.
 *
 * <p>What must hold: no load client loses its connection or a byte; every second of the run carries echoes (a
 * server stuck for a whole second shows as a 0); every half-closed upload comes back whole before the EOF; the
 * server's fds return to where they were; and the checked stop (exit 0, no leak report). The printed line is the
 * row docs/testing.md's soak table takes: the load held, the faults survived, the bytes lost, the server's peak RSS.
 */
class SoakIT {
    static final int SECONDS = Integer.getInteger("lab.soak.seconds", 1);
    static final int CLIENTS = Integer.getInteger("lab.soak.clients", 16);
    static final long FAULT_EVERY_MILLIS = Long.getLong("lab.soak.faultEveryMillis", 50);
    static final int MESSAGE = 512;
    static final int HALF_CLOSE_BYTES = 64 * 1024;
    static final int STALLED_BYTES = 256 * 1024;

    /** The hostile connections, one after another. */
    enum Fault {
        /** Sends 1 KiB and resets the connection (SO_LINGER 0) with its echo unread. */
        RESET,
        /** Uploads up to 256 KiB without reading, as far as the socket takes it at once, then closes. */
        STALLED_UPLOAD,
        /** Sends 64 KiB, shuts down its output, and must read all of it back before the EOF. */
        HALF_CLOSE,
        /** Connects and closes at once. */
        ABANDON
    }

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @EveryVariant
    void aSteadyLoadLosesNothingWhileFaultsComeAndGo(ServerVariant variant) throws Exception {
        ServerProcess server = servers.start(variant);
        InetSocketAddress address = server.address();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicLongArray echoesPerSecond = new AtomicLongArray(SECONDS + 1);
        AtomicLong sent = new AtomicLong();
        AtomicLong echoed = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Fault, Long> faults = new EnumMap<>(Fault.class);

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> load = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                load.add(
                        pool.submit(() -> echoUntil(address, id, start, end, echoesPerSecond, sent, echoed, failures)));
            }
            for (int n = 0; System.nanoTime() < end; n++) {
                Fault fault = Fault.values()[n % Fault.values().length];
                inject(fault, address, n, failures);
                faults.merge(fault, 1L, Long::sum);
                Thread.sleep(FAULT_EVERY_MILLIS); // pacing the faults, not waiting for the server
            }
            for (Future<?> client : load) {
                client.get(ServerProcess.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long peakRss = ProcFs.statusBytes(server.pid(), "VmHWM");
        long[] rates = new long[SECONDS];
        for (int s = 0; s < SECONDS; s++) {
            rates[s] = echoesPerSecond.get(s);
        }
        long[] sorted = rates.clone();
        Arrays.sort(sorted);
        long faultCount = faults.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(
                "%s soak %d s: %d clients, %d echoes (per second: min %d, median %d), %d faults %s, "
                        + "%d bytes lost, %d failures, peak RSS %d MiB%n",
                variant,
                SECONDS,
                CLIENTS,
                echoed.get() / MESSAGE,
                sorted[0],
                sorted[sorted.length / 2],
                faultCount,
                faults,
                sent.get() - echoed.get(),
                failures.size(),
                peakRss / (1024 * 1024));

        assertThat(failures)
                .as("load clients and half-closed uploads that failed")
                .isEmpty();
        assertThat(sent.get() - echoed.get())
                .as("bytes the load sent that did not come back")
                .isZero();
        assertThat(rates).as("echoes in each second of the run").doesNotContain(0L);
        assertThat(faults).as("faults injected").hasSize(Fault.values().length);
        server.awaitFdsAtBaseline();
        server.stopChecked();
    }

    /** One load client: round trips of 512 B, each checked, counted in the second it completed. */
    private static void echoUntil(
            InetSocketAddress address,
            int id,
            long start,
            long end,
            AtomicLongArray echoesPerSecond,
            AtomicLong sent,
            AtomicLong echoed,
            ConcurrentLinkedQueue<String> failures) {
        Payload payload = new Payload(1000 + id);
        long position = 0;
        try (EchoClient client = EchoClient.connect(address)) {
            long now;
            while ((now = System.nanoTime()) < end) {
                byte[] message = payload.bytes(position, MESSAGE);
                sent.addAndGet(MESSAGE);
                byte[] back = client.roundTrip(message);
                if (!Arrays.equals(back, message)) {
                    failures.add("load client " + id + ": a wrong echo at byte " + position);
                    return;
                }
                echoed.addAndGet(MESSAGE);
                position += MESSAGE;
                int second = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                echoesPerSecond.incrementAndGet(Math.min(second, echoesPerSecond.length() - 1));
            }
        } catch (RuntimeException e) {
            failures.add("load client " + id + " after " + position + " bytes: " + e);
        }
    }

    private static void inject(Fault fault, InetSocketAddress address, int n, ConcurrentLinkedQueue<String> failures)
            throws IOException {
        switch (fault) {
            case RESET -> {
                try (Socket socket = new Socket()) {
                    socket.connect(address, 10_000);
                    socket.getOutputStream().write(new Payload(n).bytes(0, 1024));
                    socket.setSoLinger(true, 0);
                }
            }
            case STALLED_UPLOAD -> {
                try (SocketChannel channel = SocketChannel.open(address)) {
                    channel.configureBlocking(false);
                    ByteBuffer upload = ByteBuffer.wrap(new Payload(n).bytes(0, STALLED_BYTES));
                    while (upload.hasRemaining() && channel.write(upload) > 0) {
                        // as much as the socket takes without waiting: a peer that will never read its echo
                    }
                }
            }
            case HALF_CLOSE -> {
                byte[] upload = new Payload(n).bytes(0, HALF_CLOSE_BYTES);
                try (EchoClient client = EchoClient.connect(address)) {
                    client.send(upload);
                    client.shutdownOutput();
                    byte[] back = client.readExactly(upload.length);
                    if (!Arrays.equals(back, upload) || !client.readsEof()) {
                        failures.add("half-closed upload " + n + ": not echoed whole, then EOF");
                    }
                } catch (RuntimeException e) {
                    failures.add("half-closed upload " + n + ": " + e);
                }
            }
            case ABANDON -> {
                try (Socket socket = new Socket()) {
                    socket.connect(address, 10_000);
                }
            }
        }
    }
}
