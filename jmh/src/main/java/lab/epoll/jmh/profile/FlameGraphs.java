package lab.epoll.jmh.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.MarkdownTable;
import lab.epoll.catalog.TrialParam;
import lab.epoll.jmh.bench.BenchmarkServer;
import one.convert.Arguments;
import one.convert.FlameGraph;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code --profile}: one trial per variant with the server JVM under async-profiler's agent, sampling CPU time
 * (kernel frames included) on every thread from start to exit, and one interactive flame graph per variant
 * ({@code NAME.html}, converted from the collapsed stacks the agent writes), plus {@code flames.md}: where each
 * server's CPU went, read from the same stacks ({@link StackProfile}).
 */
public final class FlameGraphs {
    private static final String AGENT = "linux-x64/libasyncProfiler.so";

    private FlameGraphs() {}

    /** Profiles each variant under {@code base} (one benchmark, one value per parameter); writes into {@code out}. */
    public static void run(ChainedOptionsBuilder base, List<String> variants, String scenario, Path out)
            throws IOException, RunnerException {
        Files.createDirectories(out);
        Path agent = extractAgent(out);
        List<StackProfile> profiles = new ArrayList<>();
        for (String variant : variants) {
            String name = fileName(variant, scenario);
            Path collapsed = out.resolve(name + ".collapsed");
            Files.deleteIfExists(collapsed);
            // cpu: perf_events' CPU clock, kernel stacks included; threads: one root frame per thread, so the
            // event loops, the JIT and the GC stay apart.
            String serverJvm = BenchmarkServer.DEFAULT_JVM_FLAGS + " -agentpath:" + agent
                    + "=start,event=cpu,interval=1ms,threads,file=" + collapsed;
            System.out.println("[lab] profiling " + variant + " (" + scenario + ")");
            new Runner(new OptionsBuilder()
                            .parent(base.build())
                            .param(TrialParam.VARIANT.field(), variant)
                            .param(TrialParam.SERVER_JVM.field(), serverJvm)
                            .verbosity(VerboseMode.SILENT)
                            .build())
                    .run();
            if (!Files.exists(collapsed)) {
                throw new IllegalStateException(
                        "async-profiler wrote no " + collapsed + ": did the server exit normally?");
            }
            Path html = out.resolve(name + ".html");
            FlameGraph.convert(
                    collapsed.toString(),
                    html.toString(),
                    new Arguments("--title", variant + ": server CPU, " + scenario.replace('-', ' ')));
            StackProfile profile = StackProfile.read(variant, collapsed);
            profiles.add(profile);
            System.out.println("[lab] " + html + ": " + profile.oneLine());
        }
        Path summary = out.resolve(LabPaths.FLAME_SUMMARY);
        Files.writeString(summary, table(profiles, scenario));
        System.out.println("[lab] summary in " + summary + "; publish with: cp " + out + "/*.html " + out + "/"
                + LabPaths.FLAME_SUMMARY + " " + LabPaths.FLAME_DIR);
    }

    static String table(List<StackProfile> profiles, String scenario) {
        MarkdownTable table = new MarkdownTable(
                1,
                "variant",
                "samples",
                "server threads",
                "in the kernel",
                "kernel time under",
                "JIT + GC",
                "hottest frames (self time)",
                "flame graph");
        for (StackProfile p : profiles) {
            String file = fileName(p.variant(), scenario) + ".html";
            table.row(
                    p.variant(),
                    String.format(Locale.ROOT, "%,d", p.samples()),
                    percent(p.applicationShare()),
                    percent(p.kernelShare()),
                    p.kernelBySyscall(3),
                    percent(p.jvmShare()),
                    p.hottest(3),
                    "[" + file + "](" + LabPaths.FLAME_DIR + file + ")");
        }
        return "Where each server's CPU went (" + scenario.replace('-', ' ') + "), from async-profiler's CPU samples"
                + " of the whole process, startup included; shares of all samples:\n\n" + table.render();
    }

    /** The graph's and its stacks' file name, without extension, e.g. {@code et-echo-clients50-payload512}. */
    private static String fileName(String variant, String scenario) {
        return variant + "-" + scenario;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** The agent's native library, from the async-profiler jar on the class path to a file the server JVM loads. */
    static Path extractAgent(Path dir) throws IOException {
        Path target = dir.resolve("libasyncProfiler.so");
        try (InputStream in = FlameGraphs.class.getClassLoader().getResourceAsStream(AGENT)) {
            if (in == null) {
                throw new IllegalStateException("no " + AGENT + " on the class path: async-profiler's jar is missing");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract async-profiler's agent to " + target, e);
        }
        return target;
    }
}
