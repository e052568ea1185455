package lab.epoll.jmh.cli;

import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.jmh.RunMode;
import lab.epoll.jmh.TrialOptions;
import lab.epoll.jmh.metrics.PerfStat;
import lab.epoll.jmh.profile.FlameGraphs;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code --profile A,B|all}: a flame graph per variant ({@link FlameGraphs}). */
@Command(
        header = "One trial per variant with its server under async-profiler: a flame graph each and where the"
                + " CPU went, into jmh/target/flame/. Never counts syscalls: perf's tracing would show in the graphs.")
final class ProfileCommand extends HarnessCommand {
    static final String ALL = "all";

    @Parameters(
            index = "0",
            paramLabel = "VARIANTS",
            description = "The variants to profile, a LIST, or " + ALL + " for every one.")
    String variants;

    @Parameters(index = "1..*", paramLabel = JmhOptions.LABEL, description = JmhOptions.DESCRIPTION)
    List<String> jmhArgs = new ArrayList<>();

    private List<String> profiled;
    private CommandLineOptions user;

    @Override
    void validate() {
        profiled = variants.equals(ALL) ? ServerVariant.names() : List.of(variants.split(",", -1));
        for (String name : profiled) {
            if (!ServerVariant.names().contains(name)) {
                throw usageError(
                        "--profile: no variant '" + name + "'; known: " + ServerVariant.names() + ", or " + ALL);
            }
        }
        user = JmhOptions.parse(spec, jmhArgs);
    }

    @Override
    int run() throws Exception {
        if (JmhOptions.listedInstead(spec, user)) {
            return 0;
        }
        // perf's syscall tracing would show up in the graphs as CPU the servers do not spend on their own.
        System.setProperty(PerfStat.PROPERTY, "false");
        TrialOptions.useProjectClasspathInForks();
        ChainedOptionsBuilder options = TrialOptions.base(user);
        RunMode.Scenario scenario = RunMode.PROFILED_ECHO;
        scenario.applyTo(options, user);
        System.out.println(
                "[lab] flame graphs of " + String.join(", ", profiled) + "; no syscall counting while profiling");
        FlameGraphs.run(
                options,
                profiled,
                "echo-clients" + scenario.inForce("clients", user) + "-payload" + scenario.inForce("payload", user),
                LabPaths.root().resolve("jmh/target/flame"));
        return 0;
    }
}
