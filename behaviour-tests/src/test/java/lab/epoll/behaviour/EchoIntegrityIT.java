package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Integrity: whatever a client sends comes back byte for byte, in order, nothing lost, repeated or
 * added, for messages from 1 B to 16 MiB, including every size that sits on a buffer boundary (1 KiB, 4 KiB,
 * 64 KiB, 1 MiB, each -1/+0/+1), with the client pipelining (a writer thread sends everything without waiting,
 * a reader thread checks the echo against the payload, position by position, and by CRC32).
 *
 * <p>Why it matters for epoll: a level-triggered server that stops reading early is told again by the next
 * {@code epoll_wait}; an edge-triggered one is not, so any path that leaves bytes in the socket without
 * remembering it (a read loop that stops at {@code --max-messages-per-read}, a buffer that fills exactly at a
 * boundary, reading paused by backpressure and resumed later) shows up as an echo that stops short. The test runs
 * each variant three ways to force those paths: Netty's defaults; 1 KiB reads with one read per wake-up (the
 * loop almost never reaches EAGAIN on its own; a raw server's mode fixes the reads per event, so it gets the 1 KiB
 * reads alone); and water marks of 8k/2k (reading pauses and resumes constantly).
 *
 * <p>Echoing needs no feature, so every variant runs this; the water-mark path needs
 * {@link Feature#BACKPRESSURE}, and a variant with {@link Feature#COUNTERS} must also count exactly the bytes sent.
 */
class EchoIntegrityIT {
    static final int KIB = 1024;
    static final int MIB = 1024 * KIB;
    static final int[] SIZES = {
        1, 2, 1023, 1024, 1025, 4095, 4096, 4097, 64 * KIB - 1, 64 * KIB, 64 * KIB + 1, MIB - 1, MIB, MIB + 1, 16 * MIB
    };
    /** Sent after each stream, on the same connection: proves nothing stray was queued behind the echo. */
    static final byte[] SENTINEL = "end-of-stream".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    static Stream<Arguments> variantsAndReadPaths() {
        List<Arguments> cases = new ArrayList<>();
        for (ServerVariant variant : SuiteVariants.selected()) {
            cases.add(Arguments.of(variant, "defaults", Optional.empty(), List.of()));
            // A variant whose mode fixes the reads per event (raw-lt: one, raw-et: until EAGAIN) takes 1k reads only.
            // A thread per connection has no read allocator: its reads are at most its high water mark.
            List<String> smallReads = variant.ioModel().threadPerConnection()
                    ? List.of("--write-buffer-high", "1k", "--write-buffer-low", "512")
                    : variant.has(Feature.READ_LOOP_CAP)
                            ? List.of("--recv-allocator", "fixed:1k", "--max-messages-per-read", "1")
                            : List.of("--recv-allocator", "fixed:1k");
            cases.add(
                    Arguments.of(variant, "1k reads, 1 per wake-up", Optional.of(Feature.SERVER_OPTIONS), smallReads));
            cases.add(Arguments.of(
                    variant,
                    "water marks 8k/2k",
                    Optional.of(Feature.BACKPRESSURE),
                    List.of("--write-buffer-high", "8k", "--write-buffer-low", "2k")));
        }
        return cases.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server, {1}")
    @MethodSource("variantsAndReadPaths")
    void everyByteComesBackInOrder(
            ServerVariant variant, String readPath, Optional<Feature> needs, List<String> options) {
        needs.ifPresent(feature -> Assumptions.assumeTrue(
                variant.has(feature), () -> variant + " has no " + feature + " to take the " + readPath + " path"));
        ServerProcess server = servers.start(variant, options.toArray(String[]::new));

        // Every size at once, one connection each: the event loops interleave them as real traffic would.
        List<EchoStream> streams = new ArrayList<>();
        try {
            for (int size : SIZES) {
                streams.add(
                        EchoStream.connect(server.address(), size).length(size).start());
            }
            List<String> broken = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < SIZES.length; i++) {
                EchoStream.Result result = streams.get(i).await(Duration.ofMinutes(3));
                total += result.sent();
                if (!result.intact() || result.sent() != SIZES[i]) {
                    broken.add(SIZES[i] + " B: " + result);
                    continue;
                }
                // Nothing extra may follow the echo: the next bytes back must be the sentinel's.
                byte[] back = streams.get(i).roundTrip(SENTINEL);
                if (!Arrays.equals(back, SENTINEL)) {
                    broken.add(SIZES[i] + " B: after the echo came '" + new String(back, StandardCharsets.ISO_8859_1)
                            + "' instead of the sentinel");
                }
                total += SENTINEL.length;
            }
            assertThat(broken)
                    .as("%s server (%s): streams whose echo differed from what was sent", variant, readPath)
                    .isEmpty();

            if (variant.has(Feature.COUNTERS)) {
                // The server's own counters agree: it read and wrote exactly what the clients sent.
                long expected = total;
                ServerCounters counters = server.awaitStats(
                        "bytes-in = bytes-out = " + expected, c -> c.bytesIn() == expected && c.bytesOut() == expected);
                assertThat(counters.errors()).as("errors").isZero();
            }
        } finally {
            streams.forEach(EchoStream::close);
        }
        server.awaitFdsAtBaseline();
    }
}
