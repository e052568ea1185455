package lab.epoll.jmh;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.CpuSet;
import lab.epoll.catalog.JavaRuntime;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.metrics.LatencyLog;
import lab.epoll.jmh.metrics.PerfStat;
import lab.epoll.jmh.metrics.ServerMetricsProfiler;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What every trial shares, whatever the run: one benchmark thread, fail on error, the server profiler, one fork,
 * the forks' JVM flags and the default CPU layout (server and client on disjoint CPUs, {@link CpuSet}).
 */
public final class TrialOptions {
    /** JMH forks per trial unless {@code -f} says otherwise: each trial already runs its server in a fresh JVM. */
    public static final int FORKS = 1;

    private TrialOptions() {}

    /** The server's and the client's CPUs unless the user pins them: the upper half of the CPUs, and the rest. */
    public static CpuSet[] layout() {
        return CpuSet.defaultServerAndClient(Runtime.getRuntime().availableProcessors());
    }

    public static ChainedOptionsBuilder base(CommandLineOptions user) {
        CpuSet[] layout = layout();
        List<String> forkArgs = new ArrayList<>(List.of(
                "-Dlab.root=" + LabPaths.root(),
                "-D" + PerfStat.PROPERTY + "=" + System.getProperty(PerfStat.PROPERTY, "perf"),
                "-Xms1g",
                "-Xmx1g",
                "-Dio.netty.leakDetection.level=disabled"));
        if (System.getProperty(LatencyLog.PROPERTY) != null) {
            forkArgs.add("-D" + LatencyLog.PROPERTY + "=" + System.getProperty(LatencyLog.PROPERTY));
        }
        // JMH lets these replace the user's -jvmArgsAppend instead of adding to it; the user's come last and win.
        if (user.getJvmArgsAppend().hasValue()) {
            forkArgs.addAll(user.getJvmArgsAppend().get());
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .parent(user)
                .threads(1)
                .shouldFailOnError(true)
                .jvmArgsAppend(forkArgs.toArray(String[]::new))
                .addProfiler(ServerMetricsProfiler.class);
        RunMode.Param.of(TrialParam.SERVER_CPUS.field(), layout[0].text()).applyTo(options, user);
        RunMode.Param.of(TrialParam.CLIENT_CPUS.field(), layout[1].text()).applyTo(options, user);
        if (!user.getForkCount().hasValue()) {
            options.forks(FORKS);
        }
        return options;
    }

    /** {@code syscalls counted with perf}, or why not, for the run's first line. */
    public static String perfLine() {
        String noPerf = PerfStat.availability();
        return noPerf == null ? "syscalls counted with perf" : "no syscall counts: " + noPerf;
    }

    /**
     * The names of {@code variants} this machine can run: a variant that needs a newer Java than it has (virtual
     * threads) is left out, with one line saying so, and the rest run.
     */
    public static String[] runnable(List<ServerVariant> variants) {
        return JavaRuntime.runnable(variants, why -> System.out.println("[lab] skipping " + why)).stream()
                .map(ServerVariant::name)
                .toArray(String[]::new);
    }

    /**
     * {@code exec:java} runs us inside Maven's JVM, whose {@code java.class.path} is Maven's own launcher. JMH
     * builds its forked JVMs' class path from that property, so point it at the classes and jars Maven loaded
     * the project from.
     */
    public static void useProjectClasspathInForks() throws URISyntaxException {
        ClassLoader loader = TrialOptions.class.getClassLoader();
        if (!(loader instanceof URLClassLoader)) {
            return; // Plain `java -cp ...`: the property is already right.
        }
        List<String> entries = new ArrayList<>();
        for (URL url : ((URLClassLoader) loader).getURLs()) {
            entries.add(Path.of(url.toURI()).toString());
        }
        System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
}
