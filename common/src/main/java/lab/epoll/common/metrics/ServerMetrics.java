package lab.epoll.common.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.server.LabServer;
import lab.epoll.common.server.PendingBudget;
import lab.epoll.common.stats.ConnectionStats;

/**
 * The server's own figures over HTTP ({@code --metrics-port}), in the Prometheus text format at {@code /metrics},
 * so a run on another host, or anyone's Prometheus, sees what the lab otherwise reads from {@code /proc} and the
 * summary line: the JVM's and the process's (CPU seconds, resident memory, open fds, threads: the client
 * library's own instrumentation) and the server's counters, read when scraped, never kept twice.
 */
public final class ServerMetrics implements AutoCloseable {
    private final HTTPServer http;

    private ServerMetrics(HTTPServer http) {
        this.http = http;
    }

    /** Serves {@code server}'s metrics on {@code host}:{@code port} (0: a free port) until {@link #close()}. */
    public static ServerMetrics serve(LabServer server, String host, int port) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        Supplier<ConnectionStats.Snapshot> stats = server::stats;
        counter(
                registry,
                "echo_connections_accepted",
                "Connections accepted",
                null,
                stats,
                ConnectionStats.Snapshot::accepted);
        counter(
                registry,
                "echo_connections_closed",
                "Connections closed, for any reason",
                null,
                stats,
                ConnectionStats.Snapshot::closed);
        counter(
                registry,
                "echo_connections_closed_idle",
                "Connections closed by the idle timeout",
                null,
                stats,
                ConnectionStats.Snapshot::closedIdle);
        counter(
                registry,
                "echo_connections_refused",
                "Connections refused (over " + Name.MAX_CONNECTIONS + ", or draining)",
                null,
                stats,
                ConnectionStats.Snapshot::refused);
        counter(
                registry,
                "echo_errors",
                "Connection errors: resets, broken pipes, failed accepts",
                null,
                stats,
                ConnectionStats.Snapshot::errors);
        counter(
                registry,
                "echo_received_bytes",
                "Bytes read from clients",
                Unit.BYTES,
                stats,
                ConnectionStats.Snapshot::bytesIn);
        counter(
                registry,
                "echo_sent_bytes",
                "Bytes echoed back to clients",
                Unit.BYTES,
                stats,
                ConnectionStats.Snapshot::bytesOut);
        gauge(
                registry,
                "echo_connections_open",
                "Connections open now",
                null,
                () -> stats.get().active());
        PendingBudget budget = server.budget();
        gauge(
                registry,
                "echo_pending",
                "Echo held unsent now, buffer overhead included (0 while the budget is off)",
                Unit.BYTES,
                budget::pending);
        gauge(
                registry,
                "echo_pending_budget",
                "The budget for echo held unsent (" + Name.MAX_PENDING_BYTES + "; 0: off)",
                Unit.BYTES,
                budget::max);
        CounterWithCallback.builder()
                .name("echo_pending_budget_exhausted")
                .help("Times the budget ran out and every connection stopped reading")
                .callback(cb -> cb.call(budget.pauses()))
                .register(registry);
        // The peak the lab reports as a server's RSS (VmHWM); the client library gives the current RSS only.
        gauge(
                registry,
                "echo_process_resident_memory_peak",
                "Peak resident set size (VmHWM)",
                Unit.BYTES,
                ProcessStatus::peakResidentBytes);
        // The JVM's thread count leaves out its GC and JIT threads; the lab counts every thread, as /proc does.
        gauge(
                registry,
                "echo_process_threads",
                "Threads of the process, the JVM's own included",
                null,
                ProcessStatus::threads);
        HTTPServer http = HTTPServer.builder()
                .hostname(host)
                .port(port)
                .registry(registry)
                .buildAndStart();
        return new ServerMetrics(http);
    }

    private static void counter(
            PrometheusRegistry registry,
            String name,
            String help,
            Unit unit,
            Supplier<ConnectionStats.Snapshot> stats,
            ToLongFunction<ConnectionStats.Snapshot> value) {
        CounterWithCallback.Builder builder = CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.applyAsLong(stats.get())));
        if (unit != null) {
            builder.unit(unit);
        }
        builder.register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, Unit unit, LongSupplier value) {
        GaugeWithCallback.Builder builder =
                GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsLong()));
        if (unit != null) {
            builder.unit(unit);
        }
        builder.register(registry);
    }

    /** The port it listens on: the one asked for, or the one the kernel chose for 0. */
    public int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.close();
    }
}
