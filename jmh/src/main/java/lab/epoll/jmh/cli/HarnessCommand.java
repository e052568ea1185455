package lab.epoll.jmh.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One of the harness's commands: picocli reads its options, {@link #validate()} checks what picocli cannot
 * (JMH's options, values that depend on each other) without running anything, and {@link #run()} runs it. A
 * mistake is a {@link ParameterException}: one line, exit 2.
 */
abstract class HarnessCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "This help.")
    boolean help;

    /** Checks the command line as a whole; throws {@link ParameterException} for a mistake. Starts nothing. */
    abstract void validate();

    /** Runs the validated command; returns the exit code. */
    abstract int run() throws Exception;

    @Override
    public Integer call() throws Exception {
        validate();
        return run();
    }

    ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
