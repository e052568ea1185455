package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.Metric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-host recipe (docs/harness.md) ({@code tools/two-hosts/run.sh}), run as written with the server host and the
 * load host as two network namespaces joined by a veth pair ({@code tools/two-namespaces/netns.sh}): the server
 * listens on its namespace's own address, the load reaches it over the pair. The run must report the server's CPU
 * per echo from its metrics endpoint, and the endpoint's CPU time over the load must agree with the kernel's
 * ({@code /proc} on the server's side) within 5%; the load's latencies come back as a log and merge.
 * Needs root, iproute2 and curl; skipped with one line elsewhere.
 */
class TwoNamespacesIT {
    private static final Pattern CPU_AGREEMENT = Pattern.compile("endpoint/proc (\\d+\\.\\d+)");
    private static final Pattern MERGED = Pattern.compile("\\| \\*\\*merged\\*\\* \\| ([\\d,]+) \\|");
    /** This test's own namespaces, named after the test JVM so that runs side by side do not meet. */
    private final String name = "lt" + ProcessHandle.current().pid() % 100_000;

    private final int subnet = (int) (ProcessHandle.current().pid() % 250) + 1;
    private boolean namespacesUp;

    @Test
    void theTwoHostRecipeRunsAcrossTwoNamespaces(@TempDir Path out) throws Exception {
        Assumptions.assumeTrue(
                ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "needs root to create network namespaces");
        Assumptions.assumeTrue(onPath("ip") && onPath("curl"), "needs iproute2 (ip) and curl");
        Result up = run(
                List.of(script("tools/two-namespaces/netns.sh").toString(), "up", name, Integer.toString(subnet)),
                out.resolve("netns.log"),
                30);
        namespacesUp = true;
        Assumptions.assumeTrue(up.exit() == 0, () -> "cannot create network namespaces here: " + up.lastLine());

        String server = "10.231." + subnet + ".1";
        ProcessBuilder recipe = new ProcessBuilder(
                script("tools/two-hosts/run.sh").toString(),
                "EchoBenchmark",
                "-p",
                "variant=et",
                "-p",
                "clients=20",
                "-p",
                "payload=512",
                "-wi",
                "0",
                "-i",
                "2",
                "-r",
                "2s",
                "-f",
                "1",
                "--no-perf");
        recipe.environment().put("SERVER_ADDR", server);
        recipe.environment().put("ON_SERVER", "ip netns exec " + name + "-srv");
        recipe.environment().put("ON_LOAD", "ip netns exec " + name + "-load");
        recipe.environment().put("OUT", out.resolve("results").toString());
        Result result = run(recipe, out.resolve("recipe.log"), 300);
        String log = result.output();
        assertThat(result.exit())
                .as("the recipe's exit code; its output:\n%s", log)
                .isZero();

        Matcher agreement = CPU_AGREEMENT.matcher(log);
        assertThat(agreement.find()).as("the CPU cross-check line in:\n%s", log).isTrue();
        assertThat(Double.parseDouble(agreement.group(1)))
                .as("server CPU over the load, endpoint / /proc")
                .isBetween(0.95, 1.05);
        String results = Files.readString(out.resolve("results/load-0/results.json"));
        assertThat(results)
                .as("the harness's results: server CPU per echo, from the endpoint")
                .contains("\"" + Metric.SERVER_CPU_PER_OP.label() + "\"", "\"target\" : \"" + server + ":9000\"");
        Matcher merged = MERGED.matcher(log);
        assertThat(merged.find()).as("the merged latency line in:\n%s", log).isTrue();
        assertThat(Long.parseLong(merged.group(1).replace(",", "")))
                .as("round trips merged")
                .isPositive();
        System.out.println(log.lines()
                .filter(line -> line.startsWith("two-hosts:") || line.startsWith("| **"))
                .reduce((a, b) -> a + "\n" + b)
                .orElse(""));
    }

    @AfterEach
    void removeNamespaces() throws Exception {
        if (namespacesUp) {
            new ProcessBuilder(script("tools/two-namespaces/netns.sh").toString(), "down", name)
                    .inheritIO()
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path script(String path) {
        return LabPaths.root().resolve(path);
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private record Result(int exit, String output) {
        String lastLine() {
            List<String> lines = output.lines().toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }

    private static Result run(List<String> command, Path log, long timeoutSeconds) throws Exception {
        return run(new ProcessBuilder(command), log, timeoutSeconds);
    }

    private static Result run(ProcessBuilder builder, Path log, long timeoutSeconds) throws Exception {
        Process process =
                builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    builder.command() + " did not end within " + timeoutSeconds + " s:\n" + read(log));
        }
        return new Result(process.exitValue(), read(log));
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
