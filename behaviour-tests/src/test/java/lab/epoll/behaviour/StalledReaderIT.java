package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A stalled reader: a client sends {@code lab.stalled.bytes} (default 256 MiB) from a writer thread
 * and reads nothing. The server must stop reading from it once its unsent echo passes the high water mark,
 * instead of buffering the whole upload; other clients must keep getting echoes meanwhile; and once the client
 * reads, every byte must arrive intact.
 *
 * <p>Why it matters for epoll: pausing is done by dropping {@code EPOLLIN} from the socket's registration and
 * resuming by adding it back. A level-triggered socket with data waiting is reported again at once; an
 * edge-triggered one only if the transport remembers that it stopped with data left, because no new edge comes
 * for bytes that were already there (here: tens of MiB sitting in the server's receive buffer). A server that
 * never pauses shows up as {@code pending-out} climbing towards the upload size.
 *
 * <p>What is measured, not assumed: the {@code pending-out=} field of the server's stats lines over the whole
 * test must stay within {@link #PENDING_BOUND} (high water mark + one read) and, while the client stalls, above
 * the high mark (proof that the water mark is what paused reading); {@code direct-memory=} must stay within a few
 * pooled chunks; the server's bytes-in must stop growing although the client has more to send; and for uploads of
 * 128 MiB or more the growth of the server's peak RSS ({@code VmHWM}) must stay under half the upload. Each run
 * prints the measured values.
 */
class StalledReaderIT {
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    /** Upload size; 256 MiB by default (about 10 s per variant here), -Dlab.stalled.bytes to change it. */
    static final long BYTES = Long.getLong("lab.stalled.bytes", 256 * MIB);

    static final long HIGH_WATER = 64 * KIB;
    static final long LOW_WATER = 32 * KIB;
    /**
     * The most pending-out can legitimately reach: the high water mark plus one more read, since the echo of the
     * read that crosses the mark is queued before reading stops (the adaptive allocator reads at most 64 KiB),
     * plus Netty's 96 B of bookkeeping per queued message for the up to 16 reads of one wake-up.
     */
    static final long PENDING_BOUND = HIGH_WATER + 64 * KIB + 16 * 96;
    /** The pooled allocator holds direct memory in 4 MiB chunks; an echo bounded as above needs one or two. */
    static final long DIRECT_BOUND = 4 * 4 * MIB;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void serverStopsReadingAndBuffersNoMoreThanTheWaterMarks(ServerVariant variant) {
        Assumptions.assumeTrue(variant.has(Feature.BACKPRESSURE), () -> variant + " has no water marks to pause at");
        Assumptions.assumeTrue(
                variant.has(Feature.COUNTERS),
                () -> variant + " logs no pending-out or bytes-in, which is what this test measures");
        ServerProcess server = servers.start(
                variant,
                "--write-buffer-high",
                Long.toString(HIGH_WATER),
                "--write-buffer-low",
                Long.toString(LOW_WATER));
        int mark = server.logMark();
        long rssBefore = ProcFs.statusBytes(server.pid(), "VmRSS");

        CountDownLatch startReading = new CountDownLatch(1);
        try (EchoStream stalled = EchoStream.connect(server.address(), 42)
                .length(BYTES)
                .readAfter(startReading)
                .start()) {
            // 1. The server stops reading: its bytes-in stops growing, although the client has more to send.
            ServerCounters plateau = server
                    .awaitValue(
                            "bytes-in flat for 5 stats lines (1 s) while the client is stalled",
                            () -> server.statsSince(mark),
                            lines -> ServerCounters.bytesInFlat(lines, 5))
                    .stream()
                    .reduce((a, b) -> b)
                    .orElseThrow();
            long readWhileStalled = plateau.bytesIn();
            assertThat(readWhileStalled)
                    .as("bytes the server read before pausing")
                    .isPositive()
                    .isLessThan(BYTES);
            // Paused because of the water mark: its unsent echo is above the high mark (below the low mark it
            // would have resumed reading) and within the bound. A thread per connection pauses sooner, blocked
            // in write with one read in hand: that read is its water mark.
            long pausedAbove = variant.ioModel().threadPerConnection() ? 0 : HIGH_WATER;
            assertThat(plateau.pendingOut())
                    .as("pending-out while paused")
                    .isGreaterThan(pausedAbove)
                    .isLessThanOrEqualTo(PENDING_BOUND);
            assertThat(stalled.writerDone())
                    .as("the client's writer is blocked, not finished")
                    .isFalse();

            // 2. Other clients keep getting echoes while the stalled one holds its buffers.
            byte[] message = new Payload(7).bytes(0, 1024);
            int others = 3;
            int rounds = 10;
            for (int c = 0; c < others; c++) {
                try (EchoClient other = server.connect()) {
                    for (int r = 0; r < rounds; r++) {
                        assertThat(other.roundTrip(message))
                                .as("echo to another client during the stall")
                                .isEqualTo(message);
                    }
                }
            }
            // ...and the stalled connection was not read meanwhile: bytes-in grew by exactly the others' bytes.
            // (Any stats line logged from now on counts the others' bytes: each was read before it was echoed.)
            long othersBytes = (long) others * rounds * message.length;
            ServerCounters during = server.awaitStats("a stats line after the other clients", c -> true);
            assertThat(during.bytesIn())
                    .as("bytes-in after the other clients: the stalled connection stays paused")
                    .isEqualTo(readWhileStalled + othersBytes);
            long rssStalled = ProcFs.statusBytes(server.pid(), "VmRSS");

            // 3. The client reads: everything arrives, in order.
            startReading.countDown();
            EchoStream.Result result = stalled.await(Duration.ofMinutes(4));
            assertThat(result.intact() && result.sent() == BYTES)
                    .as("%s server: %d B upload after the stall: %s", variant, BYTES, result)
                    .isTrue();

            ServerCounters end = server.awaitStats(
                    "all bytes echoed", c -> c.bytesOut() == BYTES + othersBytes && c.pendingOut() == 0);
            List<ServerCounters> history = server.statsSince(mark);
            long maxPending =
                    history.stream().mapToLong(ServerCounters::pendingOut).max().orElseThrow();
            long maxDirect = history.stream()
                    .mapToLong(ServerCounters::directMemory)
                    .max()
                    .orElseThrow();
            long peakRss = ProcFs.statusBytes(server.pid(), "VmHWM");
            System.out.printf(
                    "%s stalled reader, %d MiB: read while stalled %d KiB, max pending-out %d B "
                            + "(bound %d), max direct-memory %d KiB, RSS %d MiB before, %d MiB stalled, peak %d MiB,"
                            + " %d stats lines%n",
                    variant,
                    BYTES / MIB,
                    readWhileStalled / KIB,
                    maxPending,
                    PENDING_BOUND,
                    maxDirect / KIB,
                    rssBefore / MIB,
                    rssStalled / MIB,
                    peakRss / MIB,
                    history.size());

            assertThat(maxPending)
                    .as("largest pending-out over the test (bound: high water + one read)")
                    .isLessThanOrEqualTo(PENDING_BOUND);
            assertThat(maxDirect)
                    .as("largest direct-memory over the test: a few of the pooled allocator's "
                            + "4 MiB chunks, whatever the upload size")
                    .isLessThanOrEqualTo(DIRECT_BOUND);
            if (BYTES >= 128 * MIB) {
                // A server that buffered the upload would grow by at least its size; JVM heap churn is far less.
                assertThat(peakRss - rssBefore)
                        .as("growth of the server's peak RSS")
                        .isLessThan(BYTES / 2);
            }
            assertThat(end.errors()).as("errors").isZero();
        }
    }
}
