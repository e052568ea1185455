package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.MetricsScrape;
import lab.epoll.process.ProcFs;
import lab.epoll.process.ServerCounters;
import lab.epoll.process.ServerProcess;
import lab.epoll.testkit.Payload;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Stalled readers against the server-wide budget ({@code --max-pending-bytes}): {@code lab.budget.readers} peers
 * (default 8) upload and read nothing. Their water marks ({@code lab.budget.high}, default 1 MiB each) alone
 * would let them hold 8 MiB of unsent echo; the budget ({@code lab.budget.max}, default 1 MiB) must hold the
 * server to itself plus the reads already under way when it ran out: at most one read per connection (Netty's
 * adaptive buffer reaches 64 KiB; an epoll engine finishes the reads its last wake-up reported, an io_uring one
 * the reads it had submitted).
 *
 * <p>Then the trade-off the budget makes, and that it is undone: a fresh client's message is not read while the
 * budget is exhausted (every connection waits, not only the stalled ones); once the stalled peers read, every
 * connection resumes: each upload's echo comes back intact, the fresh client's too, and the unsent echo goes back
 * to 0.
 *
 * <p>Measured from the server's stats lines, not assumed: {@code pending-out=} (sampled every 200 ms),
 * {@code budget-peak=} (the exact most the budget counted) and {@code budget-pauses=}. Each upload is
 * {@code lab.budget.bytesEach} (16 MiB): more than the kernel's socket buffers take before the server's own
 * echo backs up. With {@code -Dlab.budget.readers=2000 -Dlab.budget.high=65536 -Dlab.budget.max=67108864} it
 * is the 2,000-reader attack against the default budget and water marks (docs/testing.md, reliability).
 */
class ManyStalledReadersIT {
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final int READERS = Integer.getInteger("lab.budget.readers", 8);
    static final long BUDGET = Long.getLong("lab.budget.max", MIB);
    static final long HIGH_WATER = Long.getLong("lab.budget.high", MIB);
    static final long BYTES_EACH = Long.getLong("lab.budget.bytesEach", 16 * MIB);
    /** One read per connection past the budget: the reads under way when it ran out (see the class comment). */
    static final long OVERSHOOT = READERS * (64 * KIB + 96);

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    // Each case watches its own server's stats lines and endpoint, nothing machine-wide: side by side.
    @Execution(ExecutionMode.CONCURRENT)
    @EveryVariant
    void stalledReadersHoldNoMoreThanTheBudgetAndEveryoneResumes(ServerVariant variant) throws Exception {
        Assumptions.assumeTrue(variant.has(Feature.BACKPRESSURE), () -> variant + " has no budget");
        Assumptions.assumeTrue(variant.has(Feature.COUNTERS), () -> variant + " logs no pending-out");
        // A thread per connection holds at most one read (8 KiB) of unsent echo each: a budget these readers can
        // exhaust is smaller than the event loops', which queue echo up to their water marks.
        long budget = variant.ioModel().threadPerConnection() ? Math.min(BUDGET, READERS * 4 * KIB) : BUDGET;
        ServerProcess server = servers.start(
                variant,
                "--max-pending-bytes",
                Long.toString(budget),
                "--write-buffer-high",
                Long.toString(HIGH_WATER),
                "--write-buffer-low",
                Long.toString(HIGH_WATER / 2),
                "--idle-timeout",
                "0",
                "--max-connections",
                "0",
                "--metrics-port",
                "0");
        int mark = server.logMark();

        try (StalledUploaders stalled = StalledUploaders.start(server.address(), READERS, BYTES_EACH)) {
            // 1. Every reader is paused: the server's bytes-in stops growing while the uploads are unfinished.
            ServerCounters plateau = last(server.awaitValue(
                    "bytes-in flat for 5 stats lines (1 s)",
                    () -> server.statsSince(mark),
                    lines -> ServerCounters.bytesInFlat(lines, 5)));
            assertThat(plateau.bytesIn())
                    .as("bytes the server read, against the uploads")
                    .isLessThan(READERS * BYTES_EACH);
            assertThat(plateau.budgetPauses())
                    .as("times the budget paused every reader")
                    .isPositive();
            assertThat(plateau.pendingOut())
                    .as("unsent echo while paused: the budget, not the water marks")
                    .isGreaterThan(budget / 2)
                    .isLessThanOrEqualTo(budget + OVERSHOOT);
            // The metrics endpoint says the same: the budget's own count of held echo, and its pauses.
            MetricsScrape paused = server.scrapeMetrics();
            assertThat(paused.value("echo_pending_bytes"))
                    .as("echo held unsent, from the metrics endpoint")
                    .isGreaterThan(budget / 2.0)
                    .isLessThanOrEqualTo(budget + OVERSHOOT);
            assertThat(paused.value("echo_pending_budget_bytes")).isEqualTo(budget);
            assertThat(paused.value("echo_pending_budget_exhausted_total"))
                    .as("pauses, from the metrics endpoint")
                    .isEqualTo(plateau.budgetPauses());

            // 2. While the budget is exhausted, a fresh connection is not read either: that is the trade-off.
            byte[] message = new Payload(7).bytes(0, 1000);
            try (Socket fresh = new Socket()) {
                fresh.connect(server.address(), 10_000);
                fresh.setSoTimeout((int) ServerProcess.WAIT.toMillis());
                int before = server.statsSince(mark).size();
                OutputStream out = fresh.getOutputStream();
                out.write(message);
                out.flush();
                List<ServerCounters> after = server.awaitValue(
                        "3 stats lines after the fresh client's message",
                        () -> server.statsSince(mark),
                        lines -> lines.size() >= before + 3);
                assertThat(last(after).bytesIn())
                        .as("bytes-in while the budget is exhausted")
                        .isEqualTo(plateau.bytesIn());

                // 3. The stalled peers read: every connection resumes and every echo arrives intact.
                stalled.startReading();
                List<String> failures = stalled.awaitEchoes(Duration.ofMinutes(4));
                assertThat(failures)
                        .as("uploads whose echo did not come back intact")
                        .isEmpty();
                assertThat(fresh.getInputStream().readNBytes(message.length))
                        .as("the fresh client's echo")
                        .isEqualTo(message);
            }
            ServerCounters end = server.awaitStats(
                    "every echo sent",
                    c -> c.pendingOut() == 0 && c.bytesOut() == READERS * BYTES_EACH + message.length);
            List<ServerCounters> history = server.statsSince(mark);
            long maxPending =
                    history.stream().mapToLong(ServerCounters::pendingOut).max().orElseThrow();
            System.out.printf(
                    "%s budget %d KiB, %d stalled readers: max pending-out %d KiB, budget-peak %d KiB "
                            + "(allowed %d KiB), pauses %d, peak RSS %d MiB, stats lines %d%n",
                    variant,
                    budget / KIB,
                    READERS,
                    maxPending / KIB,
                    end.budgetPeak() / KIB,
                    (budget + OVERSHOOT) / KIB,
                    end.budgetPauses(),
                    ProcFs.statusBytes(server.pid(), "VmHWM") / MIB,
                    history.size());
            assertThat(maxPending).as("largest sampled pending-out").isLessThanOrEqualTo(budget + OVERSHOOT);
            assertThat(end.budgetPeak())
                    .as("the most unsent echo the budget ever counted")
                    .isLessThanOrEqualTo(budget + OVERSHOOT);
            assertThat(end.errors()).as("errors").isZero();
            assertThat(server.scrapeMetrics().value("echo_pending_bytes"))
                    .as("echo held unsent at the end")
                    .isZero();
        }
    }

    private static ServerCounters last(List<ServerCounters> lines) {
        return lines.get(lines.size() - 1);
    }
}
