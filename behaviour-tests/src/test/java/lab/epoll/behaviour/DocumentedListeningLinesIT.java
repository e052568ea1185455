package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;
import lab.epoll.process.ServerProcess;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample {@code listening on} lines in the lab's documents (the journal aside: it is history) are what the
 * servers print. Each sample follows a
 * {@code $ ... java -jar JAR ARGS} line in a console block; the test starts that jar with those arguments on a
 * free port and compares the settings on the line: the same names in the same order, and the same values but
 * for those that depend on the machine or the moment (the pid, the cores, the open-file limit, the JDK).
 */
class DocumentedListeningLinesIT {
    private static final Pattern COMMAND = Pattern.compile("^\\$ \\S*java -jar (\\S+\\.jar)(.*)$");
    private static final Pattern SETTING = Pattern.compile("(?:\\(|, )([a-z-]+)=([^,]*?)(?=, [a-z-]+=|\\)$)");
    /** Settings whose values differ from machine to machine or run to run. */
    private static final Set<String> MACHINE_VALUES = Set.of("pid", "io-threads", "workers", "max-connections", "java");

    @RegisterExtension
    final ServerProcesses servers = new ServerProcesses();

    /** A console sample: the command line and the {@code listening on} line printed below it. */
    record Sample(String jar, List<String> args, String line) {
        @Override
        public String toString() {
            return args.isEmpty() ? jar : jar + " " + String.join(" ", args);
        }
    }

    static List<Sample> samples() {
        List<String> lines = new ArrayList<>();
        try {
            for (String name : LabPaths.documents(LabPaths.root())) {
                if (!name.equals(LabPaths.JOURNAL)) {
                    lines.addAll(Files.readAllLines(LabPaths.root().resolve(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Sample> samples = new ArrayList<>();
        Matcher command = null;
        for (String line : lines) {
            Matcher m = COMMAND.matcher(line);
            if (m.matches()) {
                command = m;
            } else if (line.startsWith("listening on ") && command != null) {
                List<String> args =
                        new ArrayList<>(Arrays.asList(command.group(2).trim().split("\\s+")));
                args.removeIf(String::isEmpty);
                samples.add(new Sample(command.group(1), args, line));
                command = null;
            }
        }
        return samples;
    }

    @Test
    void theDocumentsHaveSamples() {
        assertThat(samples()).as("sample listening lines in the documents").hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void theComparisonSeesAMissingSetting() {
        Map<String, String> printed = settings("listening on 127.0.0.1:1 (mode=lt, accept-batch=1, pid=7)");
        Map<String, String> documented = settings("listening on 127.0.0.1:1 (mode=lt, pid=7)");
        assertThat(new ArrayList<>(documented.keySet())).isNotEqualTo(new ArrayList<>(printed.keySet()));
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void aSampleLineIsWhatTheServerPrints(Sample sample) {
        ServerVariant variant = variantOf(sample);
        Assumptions.assumeTrue(SuiteVariants.selected().contains(variant), () -> variant + " is not selected");
        List<String> args = new ArrayList<>(sample.args());
        int port = args.indexOf(Name.PORT);
        if (port >= 0) {
            args.subList(port, port + 2).clear();
        }
        ServerProcess server = servers.start(variant.withServerArgs(List.of()), args.toArray(String[]::new));
        String printed = server.stdout().get(0);
        Map<String, String> actual = settings(printed);
        // The suite adds --stats-interval, which no sample shows and no listening line prints.
        Map<String, String> documented = settings(sample.line());
        assertThat(new ArrayList<>(documented.keySet()))
                .as("settings named on the documented line for %s, against what it printed:\n%s", sample, printed)
                .isEqualTo(new ArrayList<>(actual.keySet()));
        documented.forEach((name, value) -> {
            if (!MACHINE_VALUES.contains(name)) {
                assertThat(actual.get(name))
                        .as("%s on the documented line for %s", name, sample)
                        .isEqualTo(value);
            }
        });
    }

    /** The variant a sample runs: the one of its jar whose fixed arguments the sample gives, else the jar's first. */
    private static ServerVariant variantOf(Sample sample) {
        List<ServerVariant> sameJar = ServerVariant.all().stream()
                .filter(v -> v.jar().equals(sample.jar()))
                .toList();
        assertThat(sameJar).as("a variant built as %s", sample.jar()).isNotEmpty();
        return sameJar.stream()
                .filter(v -> v.serverArgs().isEmpty() || Collections.indexOfSubList(sample.args(), v.serverArgs()) >= 0)
                .findFirst()
                .orElse(sameJar.get(0));
    }

    private static Map<String, String> settings(String line) {
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = SETTING.matcher(line.substring(line.indexOf('(')));
        while (m.find()) {
            settings.put(m.group(1), m.group(2));
        }
        return settings;
    }
}
