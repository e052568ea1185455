package lab.epoll.jmh.metrics;

import lab.epoll.jmh.load.ClientLoad;

/**
 * The trial being measured and its iterations' measurements. JMH runs a benchmark's setup and its profilers in
 * the same forked JVM but hands them nothing in common, so the benchmark registers its trial here and starts
 * and stops a {@link ServerMeter} around each iteration (in its iteration setup and teardown, so the window is
 * JMH's own and the first iteration is measured too), and the profiler collects the finished measurement.
 */
public final class MeasuredTrial {
    /** The server pid of a trial against an external target: nothing to measure on the server side. */
    public static final long NO_SERVER = -1;

    private static volatile MeasuredTrial current;
    /** The last finished iteration's measurement, until the profiler takes it. */
    private static volatile ServerMeter.Measurement finished;

    private final long serverPid;
    private final ClientLoad load;
    private ServerMeter meter;

    private MeasuredTrial(long serverPid, ClientLoad load) {
        this.serverPid = serverPid;
        this.load = load;
    }

    /** Called by the benchmark once its server is up and its clients are connected. */
    public static void begin(long serverPid, ClientLoad load) {
        current = new MeasuredTrial(serverPid, load);
    }

    /**
     * Called by the benchmark's iteration setup: starts measuring. A warmup iteration ({@code measured} false) is
     * measured without counting syscalls: JMH drops its numbers, and starting perf costs about a second of the
     * run each time (it sets up some 60 tracepoint events), a sixth of the quick run.
     */
    public static void startIteration(boolean measured) {
        MeasuredTrial trial = current;
        if (trial != null) {
            trial.startMeter(measured);
        }
    }

    /** Called by the benchmark's iteration teardown: ends the measurement while the server still runs. */
    public static void endIteration() {
        MeasuredTrial trial = current;
        if (trial != null) {
            trial.stopMeter();
        }
    }

    public static void end() {
        endIteration();
        current = null;
    }

    /** Forgets a measurement nobody took, e.g. from an iteration that failed before the profiler ran. */
    static void forgetFinished() {
        finished = null;
    }

    /** The finished iteration's measurement, or null if none ran. */
    static ServerMeter.Measurement takeFinished() {
        ServerMeter.Measurement m = finished;
        finished = null;
        return m;
    }

    private synchronized void startMeter(boolean countSyscalls) {
        stopMeter();
        finished = null;
        meter = new ServerMeter(serverPid, load, countSyscalls);
    }

    private synchronized void stopMeter() {
        if (meter != null) {
            ServerMeter running = meter;
            meter = null; // a meter that failed to stop must not be stopped again
            finished = running.stop();
        }
    }
}
