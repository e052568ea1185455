package lab.epoll.catalog;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the lab's root directory, where the server modules' target/ folders are. */
public final class LabPaths {
    private LabPaths() {
    }

    /** {@code -Dlab.root} (Maven sets it for tests and the harness), else the nearest parent with the root pom. */
    public static Path root() {
        String property = System.getProperty("lab.root");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("lt-server")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the lab's root directory; set -Dlab.root");
    }
}
