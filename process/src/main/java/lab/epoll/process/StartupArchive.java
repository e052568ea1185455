package lab.epoll.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.catalog.ServerVariant;

/**
 * A class-data-sharing archive per variant, so that the hundreds of server JVMs a behaviour run starts map the
 * classes they load instead of parsing them from the jar: here a server then listens after ~0.65 s instead of
 * ~1.0 s. The server runs the same code either way; only its start is shorter.
 *
 * <p>On for JVMs with {@code -Dlab.startupArchive=true} (the behaviour suite sets it); the benchmark harness
 * leaves it off, so measured servers start exactly as a user's. Each archive is made once, on the first start of
 * its variant: a training run serves one echo and exits on SIGTERM with {@code -XX:ArchiveClassesAtExit}. The
 * file's name carries the jar's modification time, so a rebuilt jar gets a fresh archive. Should training fail,
 * the variant starts without one, and one line on stderr says so.
 */
final class StartupArchive {
    static final boolean ENABLED = Boolean.getBoolean("lab.startupArchive");
    /** The JVM says nothing of the archive, on stdout, even if it cannot map it: tests read stdout. */
    private static final String QUIET = "-Xlog:cds=off,cds+dynamic=off";

    private static final Map<String, Optional<Path>> ARCHIVES = new ConcurrentHashMap<>();

    private StartupArchive() {}

    /** The JVM flags that make a server of {@code variant} start from its archive; none when it is off. */
    static List<String> jvmFlags(ServerVariant variant) {
        if (!ENABLED) {
            return List.of();
        }
        return ARCHIVES.computeIfAbsent(variant.name(), name -> train(variant))
                .map(archive -> List.of("-XX:SharedArchiveFile=" + archive, QUIET))
                .orElse(List.of());
    }

    private static Optional<Path> train(ServerVariant variant) {
        Path jar = variant.jarPath();
        try {
            Path archive = jar.resolveSibling("startup-archive-" + variant.name() + "-"
                    + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
            if (Files.isRegularFile(archive)) {
                return Optional.of(archive);
            }
            Path partial = Files.createTempFile(jar.getParent(), "startup-archive-", ".partial");
            Files.delete(partial); // the JVM writes the archive itself
            List<String> flags = new ArrayList<>(ServerProcess.TEST_JVM_ARGS);
            flags.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, QUIET));
            try (ServerProcess server = ServerProcess.launchPlain(
                    List.of(), variant, ServerProcess.runtimeOf(variant), flags, Name.PORT, "0")) {
                server.awaitListening(ServerProcess.WAIT);
                byte[] ping = "startup archive\n".getBytes(StandardCharsets.US_ASCII);
                try (EchoClient client = server.connect()) {
                    if (!Arrays.equals(client.roundTrip(ping), ping)) {
                        throw new IOException("the training run's echo came back wrong");
                    }
                }
                server.signal("TERM");
                int exit = server.awaitExit(ServerProcess.WAIT);
                if (exit != 0 || !Files.isRegularFile(partial)) {
                    throw new IOException("the training run exited " + exit + " and wrote "
                            + (Files.isRegularFile(partial) ? "an archive" : "no archive"));
                }
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(archive);
        } catch (IOException | RuntimeException e) {
            System.err.println("startup archive: none for " + variant + " (" + e.getMessage()
                    + "); its servers start without one");
            return Optional.empty();
        }
    }
}
