package lab.epoll.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void drawsTheSamplesChartsAsPngs(@TempDir Path dir) throws IOException {
        List<Charts.Drawn> drawn = Charts.render(ResultsReaderTest.sample(), dir);

        assertThat(drawn)
                .extracting(Charts.Drawn::file)
                .containsExactly(
                        "throughput.png", "latency.png", "cpu-per-op.png", "syscalls-per-op.png", "memory.png");
        for (Charts.Drawn d : drawn) {
            assertIsPng(dir.resolve(d.file()));
        }
    }

    @Test
    void drawsEveryChartForAFullRun(@TempDir Path dir) throws IOException {
        List<Charts.Drawn> drawn = Charts.render(SyntheticResults.fullRun(true), dir);

        assertThat(drawn).extracting(Charts.Drawn::file).containsExactlyElementsOf(Charts.FILES);
        for (String file : Charts.FILES) {
            assertIsPng(dir.resolve(file));
        }
    }

    @Test
    void withoutPerfThereIsNoSyscallChartAndAStaleOneIsRemoved(@TempDir Path dir) throws IOException {
        Charts.render(SyntheticResults.fullRun(true), dir);

        List<Charts.Drawn> drawn = Charts.render(SyntheticResults.fullRun(false), dir);

        assertThat(drawn)
                .extracting(Charts.Drawn::block)
                .doesNotContain(Block.SYSCALLS)
                .contains(Block.IDLE, Block.MEMORY);
        assertThat(dir.resolve("syscalls-per-op.png")).doesNotExist();
        assertThat(dir.resolve("idle-scaling.png")).exists();
    }

    private static void assertIsPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).as(file + " size").isGreaterThan(5_000);
        assertThat(Arrays.copyOf(bytes, PNG_SIGNATURE.length))
                .as(file + " signature")
                .isEqualTo(PNG_SIGNATURE);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image).as(file + " decodes").isNotNull();
        assertThat(image.getWidth()).isEqualTo(ChartStyle.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ChartStyle.HEIGHT);
    }
}
