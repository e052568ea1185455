package lab.epoll.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.jar.JarFile;
import lab.epoll.catalog.ServerVariant;

/**
 * Each jar carries the Netty line its variant claims, and only that one. The build has two (4.1 for every module
 * but netty42-server, 4.2 there); a dependency that slipped a 4.2 artifact into a 4.1 jar, or the reverse, would
 * make the comparison of the two lines a comparison of a mixture. Netty's own record of what is on the class
 * path, {@code META-INF/io.netty.versions.properties}, lists every Netty artifact shaded into the jar.
 */
class NettyLineIT {

    @EveryVariant
    void everyNettyArtifactInTheJarIsOfTheVariantsLine(ServerVariant variant) throws IOException {
        Properties versions = new Properties();
        try (JarFile jar = new JarFile(variant.jarPath().toFile());
                InputStream in = jar.getInputStream(jar.getEntry("META-INF/io.netty.versions.properties"))) {
            versions.load(in);
        }
        var artifacts = versions.stringPropertyNames().stream()
                .filter(k -> k.endsWith(".version"))
                .toList();
        assertThat(artifacts).as("Netty artifacts in %s", variant.jar()).contains("netty-common.version");
        for (String artifact : artifacts) {
            assertThat(versions.getProperty(artifact))
                    .as("%s in %s", artifact, variant.jar())
                    .startsWith(variant.nettyVersion() + ".");
        }
    }
}
