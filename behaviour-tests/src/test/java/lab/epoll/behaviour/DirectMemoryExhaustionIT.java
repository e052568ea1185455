package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.EchoClient;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A failure injected from outside, into the middle of serving: the server JVM gets {@value #DIRECT_LIMIT} of
 * direct memory ({@code -XX:MaxDirectMemorySize}) and the unpooled allocator, so each read buffer is its own
 * {@code ByteBuffer.allocateDirect}; then {@value #READERS} stalled readers, with 1 MiB water marks and no
 * server-wide budget, make it hold more unsent echo than that. Reads start failing with {@code OutOfMemoryError}, an {@code Error} thrown deep in each engine's read
 * path (Netty's read loop, the raw loops, the ONESHOT workers).
 *
 * <p>No silent deaths: each failure must close its own connection only and be counted in {@code errors=}; no
 * event loop or worker may die of it; once the readers are gone the same server accepts and echoes a new client,
 * and it stops on SIGTERM with exit 0 (the checked stop every test ends with).
 */
class DirectMemoryExhaustionIT {
    static final String DIRECT_LIMIT = "2m";
    static final int READERS = 8;
    /** More than the kernel's socket buffers take, so each reader ends up holding a water mark in the server. */
    static final long BYTES_EACH = 16 * 1024 * 1024;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void aFailedAllocationClosesOneConnectionAndTheServerGoesOn(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(
                variant.has(Feature.SERVER_OPTIONS) && !variant.ioModel().refuses(ServerOption.ALLOCATOR),
                () -> variant + " has no " + ServerOption.ALLOCATOR);
        Assumptions.assumeTrue(variant.has(Feature.COUNTERS), () -> variant + " counts no errors");
        Assumptions.assumeFalse(
                variant.hangsOnFailedReadAllocation(),
                () -> variant + " may leave the connection whose read allocation failed open for good (upstream)");
        ServerProcess server = servers.startWithJvmArgs(
                List.of("-XX:MaxDirectMemorySize=" + DIRECT_LIMIT),
                variant,
                "--allocator",
                "unpooled",
                "--write-buffer-high",
                "1m",
                "--write-buffer-low",
                "512k",
                "--idle-timeout",
                "0",
                "--max-pending-bytes",
                "0");
        int mark = server.logMark();

        try (StalledUploaders stalled = StalledUploaders.start(server.address(), READERS, BYTES_EACH)) {
            ServerCounters failing =
                    server.awaitStats("errors counted: reads failed for want of direct memory", c -> c.errors() > 0);
            assertThat(stalled.sent())
                    .as("bytes the readers got out, against what the server read")
                    .isGreaterThanOrEqualTo(failing.bytesIn());
        }
        ServerCounters after = server.awaitStats(
                "every stalled reader accepted and closed", c -> c.accepted() == READERS && c.active() == 0);
        assertThat(server.isAlive()).as("the server survived").isTrue();
        assertThat(server.logLines().subList(mark, server.logLines().size()))
                .as("the failure that was injected, in the log")
                .anyMatch(line -> line.contains("OutOfMemoryError") || line.contains("direct buffer memory"));

        byte[] message = new Payload(3).bytes(0, 1000);
        try (EchoClient fresh = server.connect()) {
            assertThat(fresh.roundTrip(message))
                    .as("a new client's echo after the failures")
                    .isEqualTo(message);
        }
        System.out.printf(
                "%s with %s of direct memory, %d stalled readers: %d errors, %d accepted%n",
                variant, DIRECT_LIMIT, READERS, after.errors(), after.accepted());
    }
}
