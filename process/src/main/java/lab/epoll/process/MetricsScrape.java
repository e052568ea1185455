package lab.epoll.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GET of a server's {@code --metrics-port} endpoint, read as the Prometheus text format: each sample's name
 * and value. Labels are dropped and the last sample of a name is kept, which is exact for the unlabelled process
 * and {@code echo_*} samples the lab reads. (The Prometheus Java client writes the format but has no reader.)
 */
public final class MetricsScrape {
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{[^}]*\\})? (\\S+)(?: \\d+)?$");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, Double> samples;

    private MetricsScrape(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** {@code http://HOST:PORT/metrics}, from the {@code HOST:PORT} the server printed as {@code metrics=}. */
    public static URI endpoint(String hostPort) {
        String address = hostPort.endsWith("/metrics") ? hostPort : hostPort + "/metrics";
        return URI.create(address.startsWith("http://") ? address : "http://" + address);
    }

    public static MetricsScrape of(URI endpoint) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(endpoint + " answered HTTP " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + endpoint, e);
        }
    }

    static MetricsScrape parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        text.lines().filter(line -> !line.startsWith("#")).forEach(line -> {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                samples.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        });
        return new MetricsScrape(samples);
    }

    /** The sample's value; fails with the name when the endpoint has no such sample. */
    public double value(String name) {
        Double value = samples.get(name);
        if (value == null) {
            throw new IllegalStateException("the metrics endpoint has no sample " + name);
        }
        return value;
    }

    public double valueOr(String name, double absent) {
        return samples.getOrDefault(name, absent);
    }

    public Map<String, Double> samples() {
        return Map.copyOf(samples);
    }
}
