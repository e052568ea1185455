package lab.epoll.jmh.cli;

import java.util.ArrayList;
import java.util.List;
import lab.epoll.jmh.ModeRun;
import lab.epoll.jmh.RunMode;
import lab.epoll.jmh.TrialOptions;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A {@link RunMode}'s command ({@code --tuning}, {@code --curve}, ...): its defaults, the user's options over them. */
@Command
final class ModeCommand extends HarnessCommand {
    private final RunMode mode;

    @Mixin
    RunOptions runOptions;

    @Option(
            names = "--jmh-log",
            description = "JMH's full output on the console (by default one line per trial,"
                    + " and JMH's log goes to jmh.log beside the results).")
    boolean jmhLog;

    @Parameters(paramLabel = JmhOptions.LABEL, description = JmhOptions.DESCRIPTION)
    List<String> jmhArgs = new ArrayList<>();

    private CommandLineOptions user;

    ModeCommand(RunMode mode) {
        this.mode = mode;
    }

    RunMode mode() {
        return mode;
    }

    @Override
    void validate() {
        user = JmhOptions.parse(spec, jmhArgs);
    }

    @Override
    int run() throws Exception {
        if (JmhOptions.listedInstead(spec, user)) {
            return 0;
        }
        runOptions.applyToForks();
        TrialOptions.useProjectClasspathInForks();
        return ModeRun.run(mode, user, jmhLog);
    }
}
