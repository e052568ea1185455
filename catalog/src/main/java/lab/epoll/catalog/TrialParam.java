package lab.epoll.catalog;

import java.util.Arrays;

/**
 * The harness parameters every trial records that say where and how the server ran, not what the scenario
 * was: tables group trials by the remaining parameters (clients, payload, idle, ...). Each name is a
 * {@code @Param} field of the harness's {@code ServerTrial}.
 */
public enum TrialParam {
    VARIANT("variant", null),
    SERVER_JVM("serverJvm", null),
    /** Extra server options; a trial with any is a tuning trial, never mixed into the main comparison. */
    SERVER_ARGS("serverArgs", ""),
    /** The server's {@code --idle-timeout}; off ("0") unless a run asks for the timeout a user gets. */
    IDLE_TIMEOUT("idleTimeout", "0"),
    SERVER_CPUS("serverCpus", null),
    CLIENT_CPUS("clientCpus", null),
    /** {@code HOST:PORT} of a server the harness did not start; empty for the lab's own. */
    TARGET("target", ""),
    /** {@code HOST:PORT} of that server's metrics endpoint, where its CPU and RSS come from; empty for none. */
    TARGET_METRICS("targetMetrics", null),
    /** {@code NAME@ADDRESS}: the server ran in that network namespace, reached over a veth pair; empty: loopback. */
    SERVER_NETNS("serverNetns", ""),
    /** The client's event loops; more than one only for a server one client loop cannot saturate. */
    CLIENT_LOOPS("clientLoops", "1"),
    /** The Java release the server ran on when a run chose one ({@code -p java=25}); empty for the variant's own. */
    JAVA("java", "");

    private final String field;
    private final String usual;

    TrialParam(String field, String usual) {
        this.field = field;
        this.usual = usual;
    }

    /** The parameter's name in JMH's options and results.json. */
    public String field() {
        return field;
    }

    /**
     * Whether this value changes what is measured, so a trial's scenario must say it: a tuning knob, an idle
     * timeout, an external target. Where the server ran (its CPUs, its JVM) never does; an empty value (a results
     * file from before the parameter existed) never does either.
     */
    public boolean marksScenario(String value) {
        return usual != null && value != null && !value.isEmpty() && !value.equals(usual);
    }

    /** Whether a parameter of that name describes the setup rather than the scenario. */
    public static boolean isSetup(String name) {
        return Arrays.stream(values()).anyMatch(p -> p.field.equals(name));
    }

    /** The parameter of that name, if it is one of these. */
    public static java.util.Optional<TrialParam> named(String name) {
        return Arrays.stream(values()).filter(p -> p.field.equals(name)).findFirst();
    }
}
