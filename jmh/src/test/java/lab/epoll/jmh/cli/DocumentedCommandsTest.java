package lab.epoll.jmh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import lab.epoll.catalog.LabPaths;
import lab.epoll.jmh.cli.DocumentedCommands.Command;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/**
 * Every harness command the README, PERFORMANCE.md (its generated blocks included), docs/, tools/ and CI show
 * still parses: the harness's command line reads it and checks it, as it would before a run, and runs nothing.
 * A command renamed, an option dropped or a value format changed fails here, naming the line in the document.
 */
class DocumentedCommandsTest {
    @Test
    void everyDocumentedHarnessCommandParses() {
        List<Command> commands = DocumentedCommands.in(LabPaths.root());
        // The extraction itself: a pattern that stopped matching would make this test pass on nothing.
        assertThat(commands)
                .extracting(command -> command.where().replaceFirst("[:/].*", ""))
                .contains("README.md", "PERFORMANCE.md", "tools");
        List<String> failures = new ArrayList<>();
        for (Command command : commands) {
            try {
                HarnessCli.parse(command.args().toArray(String[]::new));
            } catch (ParameterException e) {
                failures.add(command + System.lineSeparator() + "    " + e.getMessage());
            }
        }
        assertThat(failures)
                .as("documented harness commands that no longer parse (of %d)", commands.size())
                .isEmpty();
    }

    @Test
    void readsConsoleBlocksWithContinuationsCommentsAndExecArgs() {
        String markdown = """
                ```console
                $ ./mvnw -pl jmh exec:java                     # the quick run
                $ mvn -pl jmh exec:java -Dexec.args="--compare lt,et -p serverArgs=\\"--accept-batch 1\\""
                $ java -jar jmh/target/benchmarks.jar EchoBenchmark -p variant=et \\
                    -p clients=200 --latency-log results/ # on a load host
                $ mvn -pl report exec:java
                ```
                """;
        assertThat(DocumentedCommands.inMarkdown("x.md", markdown))
                .extracting(Command::where, Command::args)
                .containsExactly(
                        tuple("x.md:2", List.of()),
                        tuple("x.md:3", List.of("--compare", "lt,et", "-p", "serverArgs=--accept-batch 1")),
                        tuple(
                                "x.md:4",
                                List.of(
                                        "EchoBenchmark",
                                        "-p",
                                        "variant=et",
                                        "-p",
                                        "clients=200",
                                        "--latency-log",
                                        "results/")));
    }

    @Test
    void readsCodeSpansAcrossALineBreakInProse() {
        String markdown = """
                Command: `java -jar jmh/target/benchmarks.jar
                IdleConnectionsBenchmark -p idle=0,10000 --no-perf`, and `ip netns exec lab-load java -jar
                jmh/target/benchmarks.jar ...` for the namespace; `benchmarks.jar` alone is a name.
                """;
        assertThat(DocumentedCommands.inMarkdown("x.md", markdown))
                .extracting(Command::args)
                .containsExactly(List.of("IdleConnectionsBenchmark", "-p", "idle=0,10000", "--no-perf"), List.of());
    }

    @Test
    void readsScriptsAsTheShellWould() {
        String script = """
                #!/usr/bin/env bash
                variant=${1:-et}
                #   ip netns exec lab-load java -jar jmh/target/benchmarks.jar EchoBenchmark -p target=10.0.0.1:9000
                bench="$root/jmh/target/benchmarks.jar"
                (cd "$root" && java -jar "$bench" 'EchoBenchmark\\.' -p variant="$variant" \\
                    -p "clients=${CLIENTS// /,}" -wi 1 -rff "$tmp/h.json" ${HARNESS_ARGS:-}) >"$tmp/out" 2>&1
                $prefix java -jar "$LAB/jmh/target/benchmarks.jar" "$@" -p "target=$ADDR:$PORT" "${cpus[@]}" &
                """;
        assertThat(DocumentedCommands.inShell("x.sh", script))
                .extracting(Command::args)
                .containsExactly(
                        List.of("EchoBenchmark", "-p", "target=10.0.0.1:9000"),
                        List.of(
                                "EchoBenchmark\\.",
                                "-p",
                                "variant=et",
                                "-p",
                                "clients=1",
                                "-wi",
                                "1",
                                "-rff",
                                "1/h.json"),
                        List.of("-p", "target=1:1"));
    }

    @Test
    void aDocumentedCommandThatNoLongerParsesIsNamed() {
        Command broken = DocumentedCommands.inMarkdown("x.md", """
                ```console
                $ java -jar jmh/target/benchmarks.jar --compare lt,et --pair 3
                ```
                """).get(0);
        assertThatThrownBy(() -> HarnessCli.parse(broken.args().toArray(String[]::new)))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--pair");
    }
}
