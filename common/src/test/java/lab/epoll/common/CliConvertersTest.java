package lab.epoll.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import lab.epoll.common.cli.ByteSizeConverter;
import lab.epoll.common.cli.DurationConverter;
import lab.epoll.common.cli.RecvAllocatorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** The value syntaxes the command line accepts, and the ones it must refuse rather than guess at. */
class CliConvertersTest {

    @ParameterizedTest
    @CsvSource({"0, PT0S", "500ms, PT0.5S", "2s, PT2S", "1m, PT1M", "1h, PT1H", "50us, PT0.00005S", "2S, PT2S"})
    void readsDurations(String text, Duration expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "5",
                "-1s",
                "2 seconds",
                "s",
                "",
                "1.5s",
                "99999999999999999999s",
                "99999999999h",
                "2562048h",
                "9223372036854775807ms"
            })
    void refusesAmbiguousOrMalformedDurations(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }

    @ParameterizedTest
    @CsvSource({"PT60S, 60s", "PT0.5S, 500ms", "PT0S, 0", "PT0.00005S, 50us", "PT1H, 3600s"})
    void printsDurationsTheWayTheStartupLineShowsThem(Duration duration, String expected) {
        assertThat(DurationConverter.format(duration)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"65536, 65536", "64k, 65536", "64KiB, 65536", "1m, 1048576", "1 MB, 1048576", "0, 0"})
    void readsSizes(String text, int expected) {
        assertThat(new ByteSizeConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "64x", "k", "4096m", "1.5k"})
    void refusesBadSizes(String text) {
        assertThatThrownBy(() -> new ByteSizeConverter().convert(text)).isInstanceOf(TypeConversionException.class);
    }

    @ParameterizedTest
    @CsvSource({"adaptive, adaptive", "fixed:16k, fixed:16k", "fixed:2048, fixed:2k"})
    void readsReceiveAllocators(String text, String printed) {
        assertThat(new RecvAllocatorSpec.Converter().convert(text)).hasToString(printed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fixed", "fixed:", "fixed:16", "big", "Adaptive "})
    void refusesBadReceiveAllocators(String text) {
        assertThatThrownBy(() -> new RecvAllocatorSpec.Converter().convert(text))
                .isInstanceOf(TypeConversionException.class);
    }
}
