package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.load.NewcomerLoad;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * New clients are served while the server is saturated. {@code lab.newcomers.busy} connections (default 500)
 * keep it busy in a closed loop, a spinning thread shares its one CPU so the load is more than it can serve, and
 * {@code lab.newcomers.rate} new connections a second (default 200) each send one request for
 * {@code lab.newcomers.seconds} (default 2), with the harness's own {@link NewcomerLoad}.
 *
 * <p>Every newcomer must be answered, and the slowest 1% within {@link #BOUND_MILLIS}. The bound is loose for a
 * server that keeps accepting: a newcomer then waits about two turns of the loop (one until it is accepted, one
 * for its echo), and a turn over 500 busy connections on half a CPU takes about 15 ms here, 60 ms under a loaded
 * build. A server that accepts one connection per wake-up takes about 70 a second at this load, fewer than
 * arrive, so its accept queue grows for as long as the load lasts: its newcomers wait seconds or give up
 * ({@link #PATIENCE_SECONDS}). The negative case shows the check catches that: the level-triggered server with Netty's
 * stock accept policy ({@code --accept-batch 1}) must fail it. The io_uring variants are skipped: they keep one
 * accept request in flight whatever the batch, so what this checks does not apply to them (4.2's answered every
 * newcomer here, but at p99 1.3 s, its ring slowed by the suite's paranoid leak detection).
 */
class NewcomerIT {
    static final int BUSY = Integer.getInteger("lab.newcomers.busy", 500);
    static final int RATE = Integer.getInteger("lab.newcomers.rate", 200);
    static final int SECONDS = Integer.getInteger("lab.newcomers.seconds", 2);
    /** The slowest newcomer in a hundred must be answered within this. */
    static final long BOUND_MILLIS = 1000;

    static final long PATIENCE_SECONDS = 5;

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    @EveryVariant
    void newcomersAreAnsweredWhileTheServerIsSaturated(ServerVariant variant) throws Exception {
        Assumptions.assumeFalse(
                variant.accepting() == ServerVariant.Accepting.ONE_PER_COMPLETION,
                () -> variant + " takes one connection per trip round its ring, whatever the batch: its newcomers"
                        + " wait for its ring, not for its accept policy");
        Assumptions.assumeFalse(
                variant.ioModel() == ServerVariant.IoModel.JDK_THREADS,
                () -> variant + " leaves its acceptor and each newcomer's new thread to the kernel's scheduler, which"
                        + " shares the CPU among every runnable thread: a newcomer waits a round of all of them"
                        + " (PERFORMANCE.md measures it)");
        NewcomerLoad.Admission window = saturate(
                variant, variant.defaultAcceptsOnePerWakeup() ? new String[] {"--accept-batch", "64"} : new String[0]);
        assertThat(window.unanswered())
                .as("newcomers never answered, of %d", window.arrived())
                .isZero();
        if (variant.serverArgs().contains(SEVERAL_LOOPS)) {
            // Several loops, unpinned, share the two CPUs with the hog and the client: how long a newcomer waits
            // then follows how the scheduler shares the CPU among the loops (in one run raw-reuseport's busy
            // connections had Jain 0.63 and its newcomers p99 1.2 s, in another 0.97 and 140 ms), not the accept
            // policy this test is about. Everyone must still be answered; the churn benchmark measures the rest.
            return;
        }
        assertThat(p99Millis(window)).as("newcomer wait p99, ms").isLessThanOrEqualTo(BOUND_MILLIS);
    }

    /** The option with which a variant runs several event loops of its own (raw-server's accept strategies). */
    private static final String SEVERAL_LOOPS = Name.THREADS;

    @Test
    void oneAcceptPerWakeupFailsTheCheck() throws Exception {
        NewcomerLoad.Admission window = saturate(ServerVariant.LT, "--accept-batch", "1");
        assertThat(window.unanswered() > 0 || p99Millis(window) > BOUND_MILLIS)
                .as(
                        "Netty's stock accept in level-triggered mode left newcomers waiting past %d ms "
                                + "(unanswered %d of %d, p99 %d ms)",
                        BOUND_MILLIS, window.unanswered(), window.arrived(), p99Millis(window))
                .isTrue();
    }

    /**
     * Virtual threads on one carrier, the JDK's default on one core: the carrier keeps running the busy
     * connections' threads that readiness wakes, and the newcomers' threads, started by the acceptor, never run.
     */
    @Test
    void virtualThreadsOnOneCarrierFailTheCheck() throws Exception {
        Assumptions.assumeTrue(
                SuiteVariants.selected().contains(ServerVariant.VIRTUAL),
                "virtual is not selected, or this machine has no Java 21+");
        NewcomerLoad.Admission window = saturate(ServerVariant.VIRTUAL, "--carriers", "1");
        assertThat(window.unanswered() > 0 || p99Millis(window) > BOUND_MILLIS)
                .as(
                        "virtual threads on one carrier left newcomers waiting past %d ms (unanswered %d of %d, "
                                + "p99 %d ms)",
                        BOUND_MILLIS, window.unanswered(), window.arrived(), p99Millis(window))
                .isTrue();
    }

    /** One measured window of newcomers against the variant, saturated, on the last CPU with a spinning thread. */
    private NewcomerLoad.Admission saturate(ServerVariant variant, String... serverArgs) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        Assumptions.assumeTrue(cpus >= 2, "needs 2 CPUs: one for the server and its competitor, one for the client");
        CpuSet serverCpu = CpuSet.parse(Integer.toString(cpus - 1));
        String[] args = variant.has(ServerVariant.Feature.IDLE_TIMEOUT)
                ? concat(serverArgs, "--idle-timeout", "0")
                : serverArgs;
        ServerProcess server = servers.startPinned(serverCpu, variant, args);
        try (NewcomerLoad load = new NewcomerLoad(BUSY, 1, RATE, PATIENCE_SECONDS, TimeUnit.SECONDS, 64, serverCpu)) {
            load.connect(server.address());
            load.resume(); // the busy connections settle in: every one is served before the window counts
            Thread.sleep(1000);
            load.pause();
            load.takeAdmission();
            load.resume();
            Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
            load.pause();
            NewcomerLoad.Admission window = load.takeAdmission();
            assertThat(window).as("the window's admission").isNotNull();
            System.out.printf(
                    "%s %s: %d busy, %d newcomers, unanswered %d, wait p50 %d ms, p99 %d ms, max %d ms, "
                            + "busy Jain %.3f, accept queue %d%n",
                    variant,
                    String.join(" ", serverArgs),
                    BUSY,
                    window.arrived(),
                    window.unanswered(),
                    window.waits().getValueAtPercentile(50) / 1_000_000,
                    p99Millis(window),
                    window.waits().getMaxValue() / 1_000_000,
                    window.busyJain(),
                    window.listenBacklog());
            return window;
        }
    }

    private static long p99Millis(NewcomerLoad.Admission window) {
        return window.waits().getValueAtPercentile(99) / 1_000_000;
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
