package lab.epoll.jmh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import lab.epoll.jmh.RunMode;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harness's command line as a user meets it: each mistake one line and exit 2, no stack trace; each
 * command's help generated with its options, defaults and value formats; the lab's words anywhere on the line,
 * JMH's options passed through. Nothing here runs a trial.
 */
class HarnessCliTest {
    /** What one in-process run of the command line printed and returned. */
    private record Outcome(int code, String out, String err) {}

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarnessCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--compare",
                "--compare lt",
                "--compare lt,lt",
                "--compare lt,nosuch",
                "--compare lt,et --pairs 1",
                "--compare lt,et --pairs many",
                "--compare lt,et --precision 120%",
                "--compare lt,et --precision x",
                "--compare lt,et --exercise --churn",
                "--compare idleTimeout=0,60s",
                "--compare lt,et -p variant=et",
                "--tuning --full",
                "--curve --compare lt,et",
                "--curve --pairs 3",
                "--compare lt,et --jmh-log",
                "--profile",
                "--profile lt,nosuch",
                "-p variant=lt,nosuch",
                "--compare java=17,25 -p variant=nosuch",
                "--report",
                "--report jmh/target/results.json",
                "-i many",
                "-p",
                "--latency-log",
                "--merge-latencies",
                "--merge-latencies no-such.hlog",
                "--tunning"
            })
    void aMistakeIsOneLineAndExitTwo(String line) {
        Outcome outcome = execute(line.split(" "));
        assertThat(outcome.code()).as(line).isEqualTo(HarnessCli.EXIT_USAGE);
        assertThat(outcome.err().lines().toList())
                .as(line)
                .singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("jmh: ")
                .endsWith("--help)")
                .doesNotContain("Exception");
        assertThat(outcome.out()).as(line).isEmpty();
    }

    @Test
    void aMistakeNamesTheCommandWhoseHelpExplainsIt() {
        assertThat(execute("--curve", "--pairs", "3").err())
                .isEqualTo("jmh: '--pairs' is an option of --compare, not of --curve (see --curve --help)"
                        + System.lineSeparator());
        assertThat(execute("--compare", "lt,et", "--pairs", "1").err())
                .isEqualTo("jmh: --pairs must be 2..100, not 1 (see --compare --help)" + System.lineSeparator());
        assertThat(execute("--report").err())
                .isEqualTo("jmh: unknown option '--report' (see --help)" + System.lineSeparator());
    }

    @Test
    void theHarnessHelpExplainsEveryCommandOptionAndValueFormatOnce() {
        Outcome outcome = execute("--help");
        assertThat(outcome.code()).isZero();
        String help = outcome.out();
        for (RunMode mode : RunMode.values()) {
            assertThat(help).contains("  " + mode.flag() + " ");
        }
        for (String option : List.of(
                "--compare",
                "--profile",
                "--merge-latencies",
                "--pairs=N",
                "--precision=PERCENT",
                "--no-perf",
                "--jmh-log",
                "--latency-log=DIR",
                "A,B",
                "VARIANTS",
                "FILE",
                "serverArgs=LIST",
                "idleTimeout=DURATION",
                "Exit codes:")) {
            assertThat(help).contains(option);
        }
        for (String format : List.of("LIST", "VARIANT", "DURATION", "SIZE", "PERCENT")) {
            assertThat(help.lines().filter(line -> line.startsWith("  " + format + " ")))
                    .as(format)
                    .hasSize(1);
        }
        assertThat(help.split("Value formats:", -1)).hasSize(2);
    }

    @Test
    void compareHelpGivesItsOptionsScenariosAndValueFormats() {
        Outcome outcome = execute("--compare", "--help");
        assertThat(outcome.code()).isZero();
        assertThat(outcome.out())
                .startsWith("Paired trials")
                .contains(
                        "Usage: benchmarks.jar --compare",
                        "--pairs=N",
                        "--precision=PERCENT",
                        "--no-perf",
                        "--exercise",
                        "--newcomers",
                        "--churn",
                        RunMode.PAIRED_ECHO.shown().substring(0, 30),
                        "Value formats:",
                        "PERCENT")
                .doesNotContain("--jmh-log", "--profile");
    }

    @Test
    void eachRunsHelpGivesItsDefaults() {
        String help = execute("--curve", "--help").out();
        assertThat(help)
                .contains(
                        "Usage: benchmarks.jar --curve",
                        "OpenLoopBenchmark",
                        "-p rate=10000,30000,60000,90000,120000,150000",
                        "-wi 2 -w 3s -i 3 -r 3s",
                        "-rff jmh/target/curve.json",
                        "Value formats:");
        assertThat(execute("--profile", "--help").out()).contains(RunMode.PROFILED_ECHO.shown());
        assertThat(execute("--merge-latencies", "--help").out()).contains("FILE...");
    }

    @Test
    void theCommandMayStandAnywhereAndTheRestIsJmhs() {
        CompareCommand compare = (CompareCommand) HarnessCli.parse(
                "IdleConnectionsBenchmark", "--compare", "et,threads", "-p", "idle=10000", "--pairs", "3", "--no-perf");
        assertThat(compare.pairs).isEqualTo(3);
        assertThat(compare.runOptions.noPerf).isTrue();
        assertThat(compare.jmhArgs).containsExactly("-p", "idle=10000", "IdleConnectionsBenchmark");

        CompareCommand exercise = (CompareCommand) HarnessCli.parse("--exercise", "--compare", "raw-lt,raw-et");
        assertThat(exercise.scenario()).isEqualTo(RunMode.EXERCISE.paired());
        CompareCommand newcomers = (CompareCommand) HarnessCli.parse("--compare", "lt,et", "--newcomers");
        assertThat(newcomers.scenario()).isEqualTo(RunMode.NEWCOMERS.paired());
        assertThat(((CompareCommand) HarnessCli.parse("--compare", "lt,et")).scenario())
                .isEqualTo(RunMode.PAIRED_ECHO);
    }

    @Test
    void withoutACommandItIsTheQuickRun() {
        ModeCommand quick = (ModeCommand) HarnessCli.parse(
                "EchoBenchmark", "-p", "variant=lt,et", "-f", "2", "-jvmArgsAppend", "-Xmx2g -Dx=1", "--no-perf");
        assertThat(quick.mode()).isEqualTo(RunMode.QUICK);
        assertThat(quick.jmhArgs)
                .containsExactly("EchoBenchmark", "-p", "variant=lt,et", "-f", "2", "-jvmArgsAppend", "-Xmx2g -Dx=1");
        for (RunMode mode : RunMode.values()) {
            assertThat(((ModeCommand) HarnessCli.parse(mode.flag())).mode()).isEqualTo(mode);
        }
    }
}
