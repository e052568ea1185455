package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import lab.epoll.testkit.ServerProcess;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input: every option refuses a bad value before the server binds anything, with exit code 2
 * and exactly one line on stderr that names the option and ends with {@code (see --help)}; nothing on stdout
 * (scripts read stdout for the {@code listening on} line).
 *
 * <p>Why it matters for epoll: several options are passed straight to the kernel ({@code --backlog} to
 * {@code listen(2)}, {@code --max-events} to {@code epoll_wait(2)}, {@code --tcp-defer-accept} and
 * {@code --busy-poll} to {@code setsockopt(2)}, in seconds and microseconds). A value the kernel would silently
 * round, clamp or misread must be refused up front, not become a server that quietly runs differently from
 * what its command line says.
 *
 * <p>Its cases run side by side: each only launches a server and watches it exit.
 */
class BadOptionsTest {
    /**
     * These servers never serve, so they run without the optimising compiler and the parallel GC's threads: each
     * of the ~400 launches then costs about a fifth less CPU, and the option parsing is the same.
     */
    static final List<String> JVM_ARGS = Stream.concat(ServerProcess.TEST_JVM_ARGS.stream(),
            Stream.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")).toList();

    /**
     * One bad command line, the option its error must name, and the feature that option belongs to, if any: a
     * variant without the feature has no such option to validate.
     */
    record BadInput(String option, Optional<Feature> feature, List<String> args) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    static final List<BadInput> BAD_INPUTS = List.of(
            bad("--port", "--port", "70000"),
            bad("--port", "--port", "abc"),
            bad("--port", "--port", "-1"),
            bad("--io-threads", "--io-threads", "0"),
            bad(Feature.IDLE_TIMEOUT, "--idle-timeout", "--idle-timeout", "5"),
            bad(Feature.IDLE_TIMEOUT, "--idle-timeout", "--idle-timeout", "xyz"),
            bad(Feature.IDLE_TIMEOUT, "--min-progress", "--min-progress", "-1"),
            bad(Feature.IDLE_TIMEOUT, "--min-progress", "--min-progress", "64", "--idle-timeout", "0"),
            bad("--shutdown-grace", "--shutdown-grace", "soon"),
            bad(Feature.BACKPRESSURE, "--write-buffer-low", "--write-buffer-low", "128k", "--write-buffer-high", "64k"),
            bad(Feature.BACKPRESSURE, "--write-buffer-high", "--write-buffer-high", "0"),
            bad(Feature.BACKPRESSURE, "--write-buffer-high", "--write-buffer-high", "3g"),
            bad("--recv-allocator", "--recv-allocator", "bogus"),
            bad("--recv-allocator", "--recv-allocator", "fixed:10"),
            bad("--allocator", "--allocator", "bogus"),
            bad("--max-events", "--max-events", "-1"),
            bad("--max-messages-per-read", "--max-messages-per-read", "0"),
            bad(Feature.CONNECTION_LIMIT, "--max-connections", "--max-connections", "-1"),
            bad("--backlog", "--backlog", "0"),
            bad("--listeners", "--listeners", "0"),
            bad("--tcp-fastopen", "--tcp-fastopen", "-1"),
            bad("--tcp-defer-accept", "--tcp-defer-accept", "500ms"),
            bad("--busy-poll", "--busy-poll", "1500ns"),
            bad(Feature.COUNTERS, "--stats-interval", "--stats-interval", "1"),
            bad("--host", "--host", ""),
            // Values that parse but overflow what they feed (nanosecond timers, the kernel's int seconds and
            // microseconds), and a log-flooding stats interval; before, they failed later with a stack trace.
            bad("--shutdown-grace", "--shutdown-grace", "99999999999h"),
            bad(Feature.IDLE_TIMEOUT, "--idle-timeout", "--idle-timeout", "99999999999h"),
            bad("--busy-poll", "--busy-poll", "3000s"),
            bad("--tcp-defer-accept", "--tcp-defer-accept", "3000000000s"),
            bad(Feature.COUNTERS, "--stats-interval", "--stats-interval", "10us"),
            bad("--host", "--host", "/tmp/echo.sock"),
            // Valid but ruinous: 4,096 idle event loops took ~480 MB, 2^20 events per wait 12 MiB per loop.
            bad("--io-threads", "--io-threads", "4096"),
            bad("--max-events", "--max-events", "1048576"),
            bad("--no-such-option", "--no-such-option"));

    private static BadInput bad(String option, String... args) {
        return new BadInput(option, Optional.empty(), List.of(args));
    }

    private static BadInput bad(Feature feature, String option, String... args) {
        return new BadInput(option, Optional.of(feature), List.of(args));
    }

    static Stream<Arguments> variantsAndBadInputs() {
        List<Arguments> cases = new ArrayList<>();
        for (ServerVariant variant : SuiteVariants.selected()) {
            for (BadInput input : BAD_INPUTS) {
                cases.add(Arguments.of(variant, input));
            }
        }
        return cases.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: {1}")
    @MethodSource("variantsAndBadInputs")
    void refusedWithExitTwoAndOneLineNamingTheOption(ServerVariant variant, BadInput input) {
        input.feature().ifPresent(feature -> Assumptions.assumeTrue(variant.has(feature),
                () -> variant + " has no " + feature + ", so no " + input.option() + " to validate"));
        List<String> args = new ArrayList<>(input.args());
        if (!args.contains("--port")) {
            // Should the option wrongly pass, the server must not grab the default port 8080 of another build.
            args.addAll(List.of("--port", "0"));
        }
        try (ServerProcess server = ServerProcess.launch(variant, JVM_ARGS,
                args.toArray(String[]::new))) {
            int exit = server.awaitExit(ServerProcess.WAIT);
            String output = server.output();
            assertThat(exit).as("exit code for %s\n%s", input, output).isEqualTo(2);
            assertThat(server.stderr()).as("stderr for %s", input).hasSize(1);
            assertThat(server.stderr().get(0)).as("the error line for %s", input)
                    .contains("'" + input.option() + "'")
                    .endsWith("(see --help)");
            assertThat(server.stdout()).as("stdout for %s", input).isEmpty();
        }
    }

    /**
     * A value that switches each transport-specific knob on ({@link ServerVariant.Transport#refusedOptions()}
     * names them), and a value other than the default for the options of {@link Feature#EVENT_LOOPS} and
     * {@link Feature#READ_LOOP_CAP}, which some variants lack.
     */
    private static final Map<String, List<String>> KNOB_ON = Map.of(
            "--listeners", List.of("--listeners", "2"),
            "--tcp-quickack", List.of("--tcp-quickack"),
            "--tcp-fastopen", List.of("--tcp-fastopen", "16"),
            "--tcp-defer-accept", List.of("--tcp-defer-accept", "1s"),
            "--busy-poll", List.of("--busy-poll", "50us"),
            "--max-events", List.of("--max-events", "64"),
            "--io-threads", List.of("--io-threads", "2"),
            "--max-messages-per-read", List.of("--max-messages-per-read", "4"));

    /**
     * Each variant with the shared options, and each of them it lacks: its transport's refused knobs, and the
     * options of a feature it has not.
     */
    static Stream<Arguments> variantsAndOptionsTheyLack() {
        return SuiteVariants.selected().stream().filter(variant -> variant.has(Feature.SERVER_OPTIONS))
                .flatMap(variant -> {
                    List<String> lacked = new ArrayList<>(variant.transport().refusedOptions());
                    for (Feature feature : List.of(Feature.EVENT_LOOPS, Feature.READ_LOOP_CAP)) {
                        if (!variant.has(feature)) {
                            lacked.addAll(FeatureOptions.OF.get(feature));
                        }
                    }
                    return lacked.stream().map(option -> Arguments.of(variant, option));
                });
    }

    /** A knob the variant does not have is refused, not silently ignored. */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: {1}")
    @MethodSource("variantsAndOptionsTheyLack")
    void anOptionTheTransportLacksIsRefused(ServerVariant variant, String option) {
        assertThat(KNOB_ON).as("a value that turns %s on", option).containsKey(option);
        List<String> args = new ArrayList<>(KNOB_ON.get(option));
        args.addAll(List.of("--port", "0"));
        try (ServerProcess server = ServerProcess.launch(variant, JVM_ARGS,
                args.toArray(String[]::new))) {
            assertThat(server.awaitExit(ServerProcess.WAIT)).as(server.output()).isEqualTo(2);
            assertThat(server.stderr()).singleElement().asString()
                    .startsWith(variant.commandName() + ": Invalid value for option '" + option + "': ")
                    .endsWith("(see --help)");
        }
    }

    /**
     * An accept batch a variant cannot honour is refused: the edge-triggered recipe must accept until EAGAIN, and
     * the io_uring incubator has one accept in flight at a time.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: --accept-batch {1}")
    @org.junit.jupiter.params.provider.CsvSource({"raw-et, 16", "uring, 64"})
    void anAcceptBatchTheVariantCannotHonourIsRefused(String name, String batch) {
        ServerVariant variant = ServerVariant.named(name);
        Assumptions.assumeTrue(SuiteVariants.selected().contains(variant), () -> name + " is not selected");
        try (ServerProcess server = ServerProcess.launch(variant, JVM_ARGS, "--accept-batch", batch, "--port", "0")) {
            assertThat(server.awaitExit(ServerProcess.WAIT)).as(server.output()).isEqualTo(2);
            assertThat(server.stderr()).singleElement().asString()
                    .startsWith(variant.commandName() + ": Invalid value for option '--accept-batch': ")
                    .endsWith("(see --help)");
        }
    }

    /**
     * The same values on Netty 4.1's epoll transport, which has every knob, make a server that runs: the refusals
     * above are the transports', not bad values.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @org.junit.jupiter.api.Test
    void netty41EpollTakesEveryKnob() {
        assertThat(ServerVariant.ET.transport().refusedOptions()).isEmpty();
        List<String> args = new ArrayList<>();
        KNOB_ON.values().forEach(args::addAll);
        try (ServerProcess server = ServerProcess.start(ServerVariant.ET, args.toArray(String[]::new))) {
            assertThat(server.stdout()).first().asString().contains("listeners=2");
            server.stopChecked();
        }
    }
}
