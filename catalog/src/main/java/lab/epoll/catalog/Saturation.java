package lab.epoll.catalog;

/**
 * Which side of a trial ran out of CPU. A closed-loop benchmark measures whichever side is slower: a trial whose
 * client kept its CPUs busy while the server did not measured the client, and is never used for a verdict.
 */
public enum Saturation {
    /** The server used nearly all of its CPUs: the trial measured the server. */
    SERVER_BOUND,
    /** The client used nearly all of its CPUs and the server did not: the trial measured the client. */
    CLIENT_BOUND,
    /**
     * Both sides saturated. The server ran out of CPU, so the trial still measured its capacity (give the client
     * more CPUs to be sure): on loopback the client's kernel work per echo is as large as the server's.
     */
    BOTH_BOUND,
    /** Neither side saturated: the round trip (wake-ups, the network stack) set the pace. */
    LATENCY_BOUND;

    /** A side counts as saturated above this share of its CPUs. */
    public static final double BUSY = 0.9;

    /** Classifies a trial from the cores each side used and how many CPUs it had. */
    public static Saturation of(double serverCores, int serverCpus, double clientCores, int clientCpus) {
        boolean server = serverCores >= BUSY * serverCpus;
        boolean client = clientCores >= BUSY * clientCpus;
        return server && client ? BOTH_BOUND : server ? SERVER_BOUND : client ? CLIENT_BOUND : LATENCY_BOUND;
    }

    /**
     * An open-loop client further than this behind its own schedule (pacing p99, microseconds) no longer offers
     * the rate it claims: what it measured is its own lateness.
     */
    public static final double CLIENT_LATE_MICROS = 5_000;

    /**
     * Classifies an open-loop trial, whose client spins until each request is due, so its CPU says nothing: the
     * client is the bound when it fell behind its schedule ({@link #CLIENT_LATE_MICROS}), else the server when it
     * used its CPUs, else the round trip.
     */
    public static Saturation openLoop(double serverCores, String serverCpus, double pacingP99Micros) {
        if (clientLate(pacingP99Micros)) {
            return CLIENT_BOUND;
        }
        return serverCores >= BUSY * CpuSet.parse(serverCpus).size() ? SERVER_BOUND : LATENCY_BOUND;
    }

    /**
     * The parameter naming where a spinning thread competes with the server (the newcomer scenario), and its value
     * when none does.
     */
    public static final String HOG_PARAM = "hog";

    public static final String NO_HOG = "none";

    /**
     * Classifies a trial whose server shares its CPUs with a spinning thread, so it can use about half of them:
     * the client is the bound when it fell behind its schedule, else the server when it used {@link #BUSY} of its
     * half, else the round trip.
     */
    public static Saturation withHog(double serverCores, String serverCpus, double pacingP99Micros) {
        if (clientLate(pacingP99Micros)) {
            return CLIENT_BOUND;
        }
        return serverCores >= BUSY * CpuSet.parse(serverCpus).size() / 2 ? SERVER_BOUND : LATENCY_BOUND;
    }

    /** Whether a trial with this {@link #HOG_PARAM} value ran its server beside a spinning thread. */
    public static boolean hogged(String hogParam) {
        return hogParam != null && !hogParam.isEmpty() && !hogParam.equals(NO_HOG);
    }

    /** Whether an open-loop client this late (pacing p99, microseconds) measured its own lateness. */
    public static boolean clientLate(double pacingP99Micros) {
        return pacingP99Micros > CLIENT_LATE_MICROS;
    }

    /** As {@link #of(double, int, double, int)}, with each side's CPUs as the trial recorded them ({@link CpuSet}). */
    public static Saturation of(double serverCores, String serverCpus, double clientCores, String clientCpus) {
        return of(
                serverCores,
                CpuSet.parse(serverCpus).size(),
                clientCores,
                CpuSet.parse(clientCpus).size());
    }

    /** {@code server}, {@code client}, {@code both}, {@code latency}: the table cell. */
    public String cell() {
        return name().substring(0, name().indexOf('_')).toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether a verdict may use the trial: every trial but one that measured the client. */
    public boolean usable() {
        return this != CLIENT_BOUND;
    }
}
