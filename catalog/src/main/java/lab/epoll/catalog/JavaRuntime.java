package lab.epoll.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java runtime a server JVM can be started with: its home and its feature release ({@code 17}, {@code 25}).
 * Every variant runs on the JVM that runs the lab (Java 17 here and in CI) unless it needs a newer one, as the
 * virtual-thread server needs 21; {@link #find} then looks, in this order:
 * <ol>
 *   <li>{@code -Dlab.java.home=DIR} or the environment variable {@code LAB_JAVA_HOME}: the user's choice;</li>
 *   <li>the running JVM, then {@code JAVA_HOME};</li>
 *   <li>{@code JAVA_HOME_<N>_X64} variables (GitHub Actions' {@code setup-java} sets them);</li>
 *   <li>the usual install folders: {@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt/java},
 *       {@code ~/.sdkman/candidates/java}, {@code ~/.jdks}; the newest release wins.</li>
 * </ol>
 * A candidate counts when it has {@code bin/java} and a {@code release} file naming its version.
 */
public record JavaRuntime(Path home, int feature, String version) {
    /** The release the lab is built for, and the one its servers run on unless they need a newer one. */
    public static final int BUILD_FEATURE = 17;
    /** Where to name a runtime explicitly: a system property, or else this environment variable. */
    public static final String HOME_PROPERTY = "lab.java.home";

    public static final String HOME_VARIABLE = "LAB_JAVA_HOME";
    private static final List<String> INSTALL_FOLDERS = List.of(
            "/usr/lib/jvm",
            "/usr/java",
            "/opt/java",
            System.getProperty("user.home") + "/.sdkman/candidates/java",
            System.getProperty("user.home") + "/.jdks");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"?(([0-9]+)[^\"\\s]*)\"?");
    private static final Pattern VERSIONED_HOME = Pattern.compile("JAVA_HOME_([0-9]+)_X64");

    /** The JVM running this code. */
    public static JavaRuntime current() {
        return new JavaRuntime(
                Path.of(System.getProperty("java.home")),
                Runtime.version().feature(),
                System.getProperty("java.version"));
    }

    /** The {@code java} launcher of this runtime. */
    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    /** The runtime {@code variant} runs on: the running JVM when it is new enough, else {@link #find}. */
    public static Optional<JavaRuntime> forVariant(ServerVariant variant) {
        int minimum = variant.ioModel().minimumJava();
        JavaRuntime current = current();
        return current.feature >= minimum ? Optional.of(current) : find(minimum);
    }

    /**
     * The variants this machine has a runtime for, in order; for each one it has none for, {@code skipped} gets
     * one line saying which and why, e.g. {@code virtual: no Java 21 or later found (...)}.
     */
    public static List<ServerVariant> runnable(List<ServerVariant> variants, Consumer<String> skipped) {
        List<ServerVariant> runnable = new ArrayList<>();
        for (ServerVariant variant : variants) {
            if (forVariant(variant).isPresent()) {
                runnable.add(variant);
            } else {
                skipped.accept(variant + ": " + missing(variant.ioModel().minimumJava()));
            }
        }
        return List.copyOf(runnable);
    }

    /** The first runtime of at least {@code minimum}, in the order the class comment gives. */
    public static Optional<JavaRuntime> find(int minimum) {
        return candidates().stream()
                .filter(runtime -> runtime.feature >= minimum)
                .findFirst();
    }

    /** A runtime of exactly this feature release, e.g. 25, for running one variant on two JDKs. */
    public static Optional<JavaRuntime> exactly(int feature) {
        return candidates().stream()
                .filter(runtime -> runtime.feature == feature)
                .findFirst();
    }

    /** One line for a user whose machine has no runtime of at least {@code minimum}. */
    public static String missing(int minimum) {
        return "no Java " + minimum + " or later found (set -D" + HOME_PROPERTY + "=DIR or " + HOME_VARIABLE
                + "; searched JAVA_HOME, JAVA_HOME_<N>_X64 and " + String.join(", ", INSTALL_FOLDERS) + ")";
    }

    private static List<JavaRuntime> candidates() {
        Set<Path> homes = new LinkedHashSet<>();
        String named = System.getProperty(HOME_PROPERTY, System.getenv(HOME_VARIABLE));
        if (named != null && !named.isBlank()) {
            homes.add(Path.of(named));
        }
        homes.add(current().home);
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            homes.add(Path.of(javaHome));
        }
        List<JavaRuntime> found = new ArrayList<>();
        homes.forEach(home -> at(home).ifPresent(found::add));
        List<JavaRuntime> searched = new ArrayList<>();
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (VERSIONED_HOME.matcher(variable.getKey()).matches()) {
                at(Path.of(variable.getValue())).ifPresent(searched::add);
            }
        }
        for (String folder : INSTALL_FOLDERS) {
            Path dir = Path.of(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(home -> at(home).ifPresent(searched::add));
            } catch (IOException e) {
                // An unreadable folder holds nothing we can run.
            }
        }
        searched.sort(Comparator.comparingInt(JavaRuntime::feature).reversed());
        found.addAll(searched);
        return found;
    }

    /** The runtime installed at {@code home}, if {@code home} has {@code bin/java} and a readable release file. */
    public static Optional<JavaRuntime> at(Path home) {
        try {
            Path real = home.toRealPath();
            if (!Files.isExecutable(real.resolve("bin").resolve("java"))) {
                return Optional.empty();
            }
            Matcher version = JAVA_VERSION.matcher(Files.readString(real.resolve("release"), StandardCharsets.UTF_8));
            if (!version.find()) {
                return Optional.empty();
            }
            return Optional.of(new JavaRuntime(real, Integer.parseInt(version.group(2)), version.group(1)));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "Java " + version + " (" + home + ")";
    }
}
