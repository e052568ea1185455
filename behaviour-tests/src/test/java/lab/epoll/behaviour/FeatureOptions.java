package lab.epoll.behaviour;

import java.util.List;
import java.util.Map;
import lab.epoll.catalog.ServerVariant.Feature;

/**
 * The options a variant has only with a feature, as {@code --help} spells them: help must list them then, and a
 * server without the feature must not list them, and refuses them when given.
 */
final class FeatureOptions {
    static final Map<Feature, List<String>> OF = Map.of(
            Feature.COUNTERS, List.of("--stats-interval"),
            Feature.IDLE_TIMEOUT, List.of("--idle-timeout", "--min-progress"),
            Feature.CONNECTION_LIMIT, List.of("--max-connections"),
            Feature.BACKPRESSURE, List.of("--write-buffer-low", "--write-buffer-high", "--max-pending-bytes"),
            Feature.SERVER_OPTIONS, List.of("--backlog", "--[no-]tcp-nodelay", "--listeners",
                    "--tcp-quickack", "--tcp-fastopen", "--tcp-defer-accept", "--busy-poll", "--max-events",
                    "--accept-batch", "--recv-allocator", "--allocator", "--verbose"),
            Feature.GRACEFUL_DRAIN, List.of("--shutdown-grace"),
            Feature.READ_LOOP_CAP, List.of("--max-messages-per-read"),
            Feature.EVENT_LOOPS, List.of("--io-threads"));

    private FeatureOptions() {
    }
}
