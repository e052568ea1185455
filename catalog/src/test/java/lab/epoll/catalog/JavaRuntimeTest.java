package lab.epoll.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void aHomeIsReadFromItsReleaseFile() throws IOException {
        Path home = fakeHome("jdk-99", "JAVA_VERSION=\"99.0.1\"\nIMPLEMENTOR=\"Lab\"\n");
        assertThat(JavaRuntime.at(home)).hasValueSatisfying(runtime -> {
            assertThat(runtime.feature()).isEqualTo(99);
            assertThat(runtime.version()).isEqualTo("99.0.1");
            assertThat(runtime.java()).isEqualTo(runtime.home().resolve("bin/java"));
        });
    }

    @Test
    void aFolderWithoutJavaOrReleaseIsNoRuntime() throws IOException {
        assertThat(JavaRuntime.at(dir.resolve("missing"))).isEmpty();
        Path noRelease = fakeHome("no-release", null);
        assertThat(JavaRuntime.at(noRelease)).isEmpty();
        Path oldStyle = fakeHome("jdk8", "JAVA_VERSION=\"1.8.0_402\"\n");
        assertThat(JavaRuntime.at(oldStyle))
                .hasValueSatisfying(r -> assertThat(r.feature()).isEqualTo(1));
    }

    @Test
    void theNamedHomeComesFirst() throws IOException {
        Path home = fakeHome("named", "JAVA_VERSION=\"98\"\n");
        Path real = home.toRealPath();
        String before = System.getProperty(JavaRuntime.HOME_PROPERTY);
        System.setProperty(JavaRuntime.HOME_PROPERTY, home.toString());
        try {
            assertThat(JavaRuntime.find(98))
                    .hasValueSatisfying(r -> assertThat(r.home()).isEqualTo(real));
            assertThat(JavaRuntime.exactly(98)).isPresent();
            assertThat(JavaRuntime.find(100)).isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty(JavaRuntime.HOME_PROPERTY);
            } else {
                System.setProperty(JavaRuntime.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void theRunningJvmServesEveryVariantItIsNewEnoughFor() {
        JavaRuntime current = JavaRuntime.current();
        assertThat(JavaRuntime.forVariant(ServerVariant.ET)).contains(current);
        assertThat(JavaRuntime.missing(21)).contains("Java 21 or later").contains(JavaRuntime.HOME_VARIABLE);
    }

    private Path fakeHome(String name, String release) throws IOException {
        Path home = dir.resolve(name);
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return home;
    }
}
