package lab.epoll.jmh.metrics;

import lab.epoll.jmh.load.EchoLoad;

/**
 * The trial being measured and its current iteration's measurement. JMH runs a benchmark's setup and its
 * profilers in the same forked JVM but hands them nothing in common, so the benchmark registers its trial here,
 * the profiler starts a {@link ServerMeter} before each iteration, and the benchmark's iteration teardown stops
 * it while the server is still running.
 */
public final class MeasuredTrial {
    private static volatile MeasuredTrial current;

    private final long serverPid;
    private final EchoLoad load;
    private ServerMeter meter;
    private ServerMeter.Measurement last;

    private MeasuredTrial(long serverPid, EchoLoad load) {
        this.serverPid = serverPid;
        this.load = load;
    }

    /** Called by the benchmark once its server is up and its clients are connected. */
    public static void begin(long serverPid, EchoLoad load) {
        current = new MeasuredTrial(serverPid, load);
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

    /** The running trial, or null before the first iteration's setup has started the server. */
    static MeasuredTrial current() {
        return current;
    }

    synchronized void startMeter() {
        last = null;
        meter = new ServerMeter(serverPid, load);
    }

    private synchronized void stopMeter() {
        if (meter != null) {
            last = meter.stop();
            meter = null;
        }
    }

    /** The finished iteration's measurement (stopping it now if the teardown did not), or null if none ran. */
    synchronized ServerMeter.Measurement takeMeasurement() {
        stopMeter();
        ServerMeter.Measurement result = last;
        last = null;
        return result;
    }
}
