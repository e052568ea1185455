package lab.epoll.report;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.epoll.catalog.Metric;
import lab.epoll.catalog.TrialParam;

/**
 * Every trial of one results.json, in report order (benchmark, scenario, variant), and the views the tables and
 * charts share: the baseline trials of a benchmark, the tuning runs, and the baseline a tuning run is measured
 * against. Baselines and tuning runs are kept apart so a turned knob never leaks into the main comparison.
 */
public record Results(List<Trial> trials) {
    public Results {
        trials = trials.stream().sorted(Trial.byScenarioThenVariant()).toList();
    }

    /** The benchmark's trials with the server as shipped (no {@code serverArgs}). */
    public List<Trial> baseline(BenchmarkClass benchmark) {
        return trials.stream()
                .filter(t -> t.benchmarkClass().equals(benchmark.simpleName()) && !t.isTuning())
                .toList();
    }

    /** Trials that turned one server knob through {@code serverArgs}. */
    public List<Trial> tuning() {
        return trials.stream().filter(Trial::isTuning).toList();
    }

    /** The untuned trial with the same benchmark, variant, scenario and server JVM, if the run had one. */
    public Optional<Trial> baselineOf(Trial tuned) {
        Map<String, String> params = untuned(tuned);
        return trials.stream()
                .filter(t -> t.benchmark().equals(tuned.benchmark()) && !t.isTuning())
                .filter(t -> untuned(t).equals(params))
                .findFirst();
    }

    /** The distinct ways JMH ran the trials; one entry for a normal harness run. */
    public List<RunSetup> setups() {
        return trials.stream().map(Trial::setup).distinct().toList();
    }

    /** Whether any of the trials measured the metric: decides between a table and a "not measured" note. */
    static boolean anyHas(Collection<Trial> trials, Metric label) {
        return trials.stream().anyMatch(t -> t.metric(label).isPresent());
    }

    /** The variants among the trials, in the lab's order. */
    static List<String> variants(Collection<Trial> trials) {
        return trials.stream()
                .map(Trial::variant)
                .distinct()
                .sorted(Variants.order())
                .toList();
    }

    /** The trial's parameters with its knobs (server options, idle timeout) taken out. */
    private static Map<String, String> untuned(Trial trial) {
        Map<String, String> params = new LinkedHashMap<>(trial.params());
        params.remove(TrialParam.SERVER_ARGS.field());
        params.remove(TrialParam.IDLE_TIMEOUT.field());
        return params;
    }
}
