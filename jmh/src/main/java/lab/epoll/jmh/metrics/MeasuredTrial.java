package lab.epoll.jmh.metrics;

import java.net.URI;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.jmh.load.ClientLoad;
import lab.epoll.process.ProcFs;

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

    /** The server's CPU, RSS and threads: from /proc, from its metrics endpoint, or null for neither. */
    private final ServerReadings server;

    private final ClientLoad load;
    /** The trial's one perf, attached to the server's threads; null when there is no server or perf here. */
    private final PerfStat perf;
    /** A second perf counting per thread, for scenarios that ask ({@link #begin(long, ClientLoad, int)}); or null. */
    private final PerfStat perThread;
    /** The threads expected to serve connections, for the per-thread counts; 0 when not counted. */
    private final int servingThreads;
    /** The Java feature release the server runs on, -1 when unknown: one per trial, read when it begins. */
    private final int serverJava;

    private ServerMeter meter;

    private MeasuredTrial(
            ServerReadings server,
            int serverJava,
            ClientLoad load,
            PerfStat perf,
            PerfStat perThread,
            int servingThreads) {
        this.servingThreads = servingThreads;
        this.server = server;
        this.serverJava = serverJava;
        this.load = load;
        this.perf = perf;
        this.perThread = perThread;
    }

    /**
     * Called by the benchmark once its server is up and its clients are connected (and so every thread that will
     * serve them exists: perf counts the threads there are when it attaches).
     */
    public static void begin(long serverPid, ClientLoad load) {
        begin(serverPid, load, 0);
    }

    /**
     * As {@link #begin(long, ClientLoad)}; with {@code servingThreads > 0}, also how connections spread over that
     * many serving threads (perf per thread).
     */
    public static void begin(long serverPid, ClientLoad load, int servingThreads) {
        if (serverPid == NO_SERVER) {
            current = new MeasuredTrial(null, -1, load, null, null, 0);
            return;
        }
        PerfStat perf = attachPerf(serverPid);
        current = new MeasuredTrial(
                ServerReadings.proc(serverPid),
                ProcFs.javaRuntime(serverPid).map(JavaRuntime::feature).orElse(-1),
                load,
                perf,
                perf != null && servingThreads > 0 ? PerfStat.attachPerThread(serverPid) : null,
                servingThreads);
    }

    /**
     * A server elsewhere that serves its metrics ({@code --metrics-port}): its CPU, RSS and threads are read from
     * {@code endpoint} at each iteration boundary; syscalls cannot be counted from here.
     */
    public static void beginRemote(URI endpoint, ClientLoad load) {
        ServerReadings server = ServerReadings.endpoint(endpoint);
        server.read(); // fails here, once, if the endpoint cannot be read, rather than in every iteration
        server.warmUp();
        current = new MeasuredTrial(server, -1, load, null, null, 0);
    }

    private static PerfStat attachPerf(long serverPid) {
        String noPerf = PerfStat.availability();
        if (noPerf == null) {
            noPerf = PerfStat.tooManyThreads(serverPid);
        }
        if (noPerf == null) {
            return PerfStat.attach(serverPid);
        }
        // Said once per fork, and not at all when the user switched counting off (--no-perf): the run's first
        // line already says so.
        if (!"false".equals(System.getProperty(PerfStat.PROPERTY))) {
            System.err.println("[lab] perf cannot count syscalls here (" + noPerf + "): no syscall metrics.");
        }
        return null;
    }

    /**
     * Called by the benchmark's iteration setup: starts measuring. A warmup iteration ({@code measured} false) is
     * measured without counting syscalls: JMH drops its numbers.
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
        MeasuredTrial trial = current;
        current = null;
        if (trial != null) {
            try {
                trial.stopMeter();
            } finally {
                if (trial.perf != null) {
                    trial.perf.close();
                }
                if (trial.perThread != null) {
                    trial.perThread.close();
                }
            }
        }
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
        meter = new ServerMeter(
                server,
                serverJava,
                load,
                countSyscalls ? perf : null,
                countSyscalls ? perThread : null,
                servingThreads);
    }

    private synchronized void stopMeter() {
        if (meter != null) {
            ServerMeter running = meter;
            meter = null; // a meter that failed to stop must not be stopped again
            finished = running.stop();
        }
    }
}
