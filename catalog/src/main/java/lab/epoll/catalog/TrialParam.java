package lab.epoll.catalog;

import java.util.Arrays;

/**
 * The harness parameters every trial records that say where and how the server ran, not what the scenario
 * was: tables group trials by the remaining parameters (clients, payload, idle, ...). Each name is a
 * {@code @Param} field of the harness's {@code ServerTrial}.
 */
public enum TrialParam {
    VARIANT("variant"),
    SERVER_JVM("serverJvm"),
    /** Extra server options; a trial with any is a tuning trial, never mixed into the main comparison. */
    SERVER_ARGS("serverArgs"),
    SERVER_CPUS("serverCpus"),
    CLIENT_CPUS("clientCpus"),
    /** {@code HOST:PORT} of a server the harness did not start; empty for the lab's own. */
    TARGET("target");

    private final String field;

    TrialParam(String field) {
        this.field = field;
    }

    /** The parameter's name in JMH's options and results.json. */
    public String field() {
        return field;
    }

    /** Whether a parameter of that name describes the setup rather than the scenario. */
    public static boolean isSetup(String name) {
        return Arrays.stream(values()).anyMatch(p -> p.field.equals(name));
    }
}
