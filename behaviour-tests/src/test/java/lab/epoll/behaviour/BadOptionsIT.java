package lab.epoll.behaviour;

import static lab.epoll.catalog.ServerOption.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import lab.epoll.catalog.ServerOption;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.catalog.ServerVariant.Feature;
import lab.epoll.process.ServerProcess;
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
 * <p>The bad inputs run in process ({@link InProcessCli}), once per {@link CliGroup}: what a command line is
 * checked against is the jar's command and the variant's fixed server args, so variants that share both (and
 * the features and refused knobs the expectations come from) would only repeat the same check. A variant's JVM
 * flags choose what a running server uses, not what it accepts; they, and the real {@code main} with its
 * {@code System.exit}, are proven by {@link #refusedByItsOwnJvm} launching every variant as its own process.
 */
class BadOptionsIT {
    /**
     * The launched servers never serve, so they run without the optimising compiler and the parallel GC's
     * threads: they then cost about a fifth less CPU, and the option parsing is the same.
     */
    static final List<String> JVM_ARGS = Stream.concat(
                    ServerProcess.TEST_JVM_ARGS.stream(), Stream.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"))
            .toList();

    /**
     * Variants whose command lines are checked by the same code with the same fixed arguments, and expected to be
     * refused alike: run through the first of them.
     */
    record CliGroup(List<ServerVariant> variants) {
        ServerVariant first() {
            return variants.get(0);
        }

        @Override
        public String toString() {
            return variants.stream().map(ServerVariant::name).collect(Collectors.joining("/"));
        }
    }

    static List<CliGroup> cliGroups() {
        Map<List<Object>, List<ServerVariant>> groups = new LinkedHashMap<>();
        for (ServerVariant variant : SuiteVariants.selected()) {
            // Only the first of a group runs: the others' JVM flags must not be ones validation could read.
            InProcessCli.requireRuntimeOnlyJvmFlags(variant);
            List<Object> key = List.of(
                    variant.jar(),
                    variant.serverArgs(),
                    variant.features(),
                    variant.ioModel().refusedOptions());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(variant);
        }
        return groups.values().stream().map(CliGroup::new).toList();
    }

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
            bad(PORT, "70000"),
            bad(PORT, "abc"),
            bad(PORT, "-1"),
            bad(IO_THREADS, "0"),
            bad(Feature.IDLE_TIMEOUT, IDLE_TIMEOUT, "5"),
            bad(Feature.IDLE_TIMEOUT, IDLE_TIMEOUT, "xyz"),
            bad(Feature.IDLE_TIMEOUT, MIN_PROGRESS, "-1"),
            bad(Feature.IDLE_TIMEOUT, MIN_PROGRESS, "64", Name.IDLE_TIMEOUT, "0"),
            bad(SHUTDOWN_GRACE, "soon"),
            bad(Feature.BACKPRESSURE, WRITE_BUFFER_LOW, "128k", Name.WRITE_BUFFER_HIGH, "64k"),
            bad(Feature.BACKPRESSURE, WRITE_BUFFER_HIGH, "0"),
            bad(Feature.BACKPRESSURE, WRITE_BUFFER_HIGH, "3g"),
            bad(RECV_ALLOCATOR, "bogus"),
            bad(RECV_ALLOCATOR, "fixed:10"),
            bad(ALLOCATOR, "bogus"),
            bad(MAX_EVENTS, "-1"),
            bad(MAX_MESSAGES_PER_READ, "0"),
            bad(Feature.CONNECTION_LIMIT, MAX_CONNECTIONS, "-1"),
            bad(BACKLOG, "0"),
            bad(LISTENERS, "0"),
            bad(TCP_FASTOPEN, "-1"),
            bad(TCP_DEFER_ACCEPT, "500ms"),
            bad(BUSY_POLL, "1500ns"),
            bad(Feature.COUNTERS, STATS_INTERVAL, "1"),
            bad(HOST, ""),
            // Values that parse but overflow what they feed (nanosecond timers, the kernel's int seconds and
            // microseconds), and a log-flooding stats interval; before, they failed later with a stack trace.
            bad(SHUTDOWN_GRACE, "99999999999h"),
            bad(Feature.IDLE_TIMEOUT, IDLE_TIMEOUT, "99999999999h"),
            bad(BUSY_POLL, "3000s"),
            bad(TCP_DEFER_ACCEPT, "3000000000s"),
            bad(Feature.COUNTERS, STATS_INTERVAL, "10us"),
            bad(HOST, "/tmp/echo.sock"),
            // Valid but ruinous: 4,096 idle event loops took ~480 MB, 2^20 events per wait 12 MiB per loop.
            bad(IO_THREADS, "4096"),
            bad(MAX_EVENTS, "1048576"),
            new BadInput("--no-such-option", Optional.empty(), List.of("--no-such-option")));

    /** {@code option} given with {@code values} (and any more options after them), which must be refused. */
    private static BadInput bad(ServerOption option, String... values) {
        return new BadInput(option.longName(), Optional.empty(), given(option, List.of(values)));
    }

    private static BadInput bad(Feature feature, ServerOption option, String... values) {
        return new BadInput(option.longName(), Optional.of(feature), given(option, List.of(values)));
    }

    static Stream<Arguments> groupsAndBadInputs() {
        List<Arguments> cases = new ArrayList<>();
        for (CliGroup group : cliGroups()) {
            for (BadInput input : BAD_INPUTS) {
                cases.add(Arguments.of(group, input));
            }
        }
        return cases.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: {1}")
    @MethodSource("groupsAndBadInputs")
    void refusedWithExitTwoAndOneLineNamingTheOption(CliGroup group, BadInput input) {
        ServerVariant variant = group.first();
        input.feature()
                .ifPresent(feature -> Assumptions.assumeTrue(
                        variant.has(feature),
                        () -> group + " has no " + feature + ", so no " + input.option() + " to validate"));
        assertThat(refusal(variant, input.args())).contains("'" + input.option() + "'");
    }

    /** Runs a command line that must be refused, checks the exit code and the output, and returns its one line. */
    private static String refusal(ServerVariant variant, List<String> args) {
        InProcessCli.Result run = InProcessCli.run(variant, args);
        String what = variant + " server: " + String.join(" ", args) + "\n" + run.output();
        // An accepted command line cannot serve on the port InProcessCli holds: it exits 1, address in use.
        assertThat(run.exit()).as("exit code for %s", what).isEqualTo(2);
        assertThat(run.stderr()).as("stderr for %s", what).hasSize(1);
        assertThat(run.stdout()).as("stdout for %s", what).isEmpty();
        assertThat(run.stderr().get(0)).as("the error line for %s", what).endsWith("(see --help)");
        return run.stderr().get(0);
    }

    /**
     * Refused by the jar's real {@code main} in a JVM of its own, started as users start it: with the variant's
     * JVM flags, and exiting through {@code System.exit}. {@code --port 70000} parses, and is refused in the
     * command's {@code call()}, the last step before a server would start.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server, its own JVM: --port 70000")
    @MethodSource("lab.epoll.behaviour.SuiteVariants#selected")
    void refusedByItsOwnJvm(ServerVariant variant) {
        try (ServerProcess server = ServerProcess.launch(variant, JVM_ARGS, "--port", "70000")) {
            int exit = server.awaitExit(ServerProcess.WAIT);
            assertThat(exit).as("exit code\n%s", server.output()).isEqualTo(2);
            assertThat(server.stderr())
                    .as("stderr")
                    .singleElement()
                    .asString()
                    .startsWith(variant.commandName() + ": Invalid value for option '--port': ")
                    .endsWith("(see --help)");
            assertThat(server.stdout()).as("stdout").isEmpty();
        }
    }

    /**
     * A value that switches each transport-specific knob on ({@link ServerVariant.IoModel#refusals()} names their
     * groups), and one for the options of {@link Feature#EVENT_LOOPS} and {@link Feature#READ_LOOP_CAP}, which some
     * variants lack.
     */
    private static final Map<ServerOption, List<String>> KNOB_ON = Map.ofEntries(
            Map.entry(ServerOption.LISTENERS, List.of("2")),
            Map.entry(ServerOption.TCP_QUICKACK, List.of()),
            Map.entry(ServerOption.TCP_FASTOPEN, List.of("16")),
            Map.entry(ServerOption.TCP_DEFER_ACCEPT, List.of("1s")),
            Map.entry(ServerOption.BUSY_POLL, List.of("50us")),
            Map.entry(ServerOption.MAX_EVENTS, List.of("64")),
            Map.entry(ServerOption.ACCEPT_BATCH, List.of("8")),
            Map.entry(ServerOption.RECV_ALLOCATOR, List.of("fixed:16k")),
            Map.entry(ServerOption.ALLOCATOR, List.of("unpooled")),
            Map.entry(ServerOption.IO_THREADS, List.of("2")),
            Map.entry(ServerOption.MAX_MESSAGES_PER_READ, List.of("4")));

    /**
     * The default value of each of those that has one ({@code --help} says it), which a server without the knob
     * refuses all the same: a command line that names a knob expects the server to have it.
     */
    private static final Map<ServerOption, String> KNOB_AT_DEFAULT = Map.ofEntries(
            Map.entry(ServerOption.LISTENERS, "1"),
            Map.entry(ServerOption.TCP_FASTOPEN, "0"),
            Map.entry(ServerOption.TCP_DEFER_ACCEPT, "0"),
            Map.entry(ServerOption.BUSY_POLL, "0"),
            Map.entry(ServerOption.MAX_EVENTS, "0"),
            Map.entry(ServerOption.RECV_ALLOCATOR, "adaptive"),
            Map.entry(ServerOption.ALLOCATOR, "pooled"),
            Map.entry(
                    ServerOption.IO_THREADS,
                    Integer.toString(Runtime.getRuntime().availableProcessors())),
            Map.entry(ServerOption.MAX_MESSAGES_PER_READ, "16"));

    /**
     * Each group with the shared options, and each of them it lacks: its transport's refused knobs, and the
     * options of a feature it has not.
     */
    static Stream<Arguments> groupsAndOptionsTheyLack() {
        return cliGroups().stream()
                .filter(group -> group.first().has(Feature.SERVER_OPTIONS))
                .flatMap(group -> Arrays.stream(ServerOption.values())
                        .filter(option -> lacks(group.first(), option))
                        .map(option -> Arguments.of(group, option)));
    }

    private static boolean lacks(ServerVariant variant, ServerOption option) {
        return variant.ioModel().refuses(option)
                || option.feature().filter(feature -> !variant.has(feature)).isPresent();
    }

    /** A knob the variant does not have is refused, not silently ignored. */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: {1}")
    @MethodSource("groupsAndOptionsTheyLack")
    void anOptionTheTransportLacksIsRefused(CliGroup group, ServerOption option) {
        assertThat(KNOB_ON).as("a value that turns %s on", option).containsKey(option);
        assertThat(refusal(group.first(), given(option, KNOB_ON.get(option))))
                .startsWith(group.first().commandName() + ": Invalid value for option '" + option + "': ");
    }

    /** ... even at its default value: refused whenever given, which is what {@code --help} says. */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0} server: {1} at its default")
    @MethodSource("groupsAndOptionsTheyLack")
    void anOptionTheTransportLacksIsRefusedEvenAtItsDefault(CliGroup group, ServerOption option) {
        Assumptions.assumeTrue(KNOB_AT_DEFAULT.containsKey(option), () -> option + " has no default value to give");
        assertThat(refusal(group.first(), given(option, List.of(KNOB_AT_DEFAULT.get(option)))))
                .startsWith(group.first().commandName() + ": Invalid value for option '" + option + "': ");
    }

    private static List<String> given(ServerOption option, List<String> values) {
        List<String> args = new ArrayList<>(List.of(option.longName()));
        args.addAll(values);
        return args;
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
        assertThat(refusal(variant, List.of("--accept-batch", batch)))
                .startsWith(variant.commandName() + ": Invalid value for option '--accept-batch': ");
    }

    /**
     * The same values on Netty 4.1's epoll transport, which has every knob, make a server that runs: the refusals
     * above are the transports', not bad values.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @org.junit.jupiter.api.Test
    void netty41EpollTakesEveryKnob() {
        assertThat(ServerVariant.ET.ioModel().refusedOptions()).isEmpty();
        List<String> args = new ArrayList<>();
        KNOB_ON.forEach((option, values) -> args.addAll(given(option, values)));
        try (ServerProcess server = ServerProcess.start(ServerVariant.ET, args.toArray(String[]::new))) {
            assertThat(server.stdout()).first().asString().contains("listeners=2");
            server.stopChecked();
        }
    }
}
