package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import lab.epoll.catalog.LabPaths;
import lab.epoll.catalog.ServerVariant;
import org.junit.jupiter.api.Test;

/** The README lists every variant of the catalog, as the report writes the list; none missing, none stale. */
class VariantsTableTest {
    @Test
    void theReadmeListsTheCatalogsVariants() throws IOException {
        String readme = Files.readString(LabPaths.root().resolve(PerformanceReport.README));
        String block = PerformanceMarkdown.contents(readme).get(VariantsTable.BLOCK);
        assertThat(block)
                .as("the README's variants block (mvn -pl report exec:java rewrites it)")
                .isNotNull();
        assertThat(block.strip()).isEqualTo(VariantsTable.markdown());
    }

    @Test
    void eachRowRunsTheVariantsJarWithItsFlags() {
        assertThat(VariantsTable.command(ServerVariant.RAW_HERD))
                .isEqualTo("java -jar raw-server/target/raw-server.jar --mode et --threads 2 --accept herd");
        assertThat(VariantsTable.command(ServerVariant.NIO_POLL))
                .isEqualTo(
                        "java "
                                + "-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.PollSelectorProvider -jar nio-server/target/nio-server.jar");
        assertThat(VariantsTable.markdown().lines().skip(2))
                .hasSize(ServerVariant.all().size());
    }
}
