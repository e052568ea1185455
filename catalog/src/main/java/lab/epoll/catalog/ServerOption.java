package lab.epoll.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import lab.epoll.catalog.ServerVariant.Feature;

/**
 * Every option of the lab's server jars and the group of knobs it belongs to, the one place their names are
 * spelled: first the options every jar shares (common's {@code ServerOptions}), in their {@code --help} order,
 * then those one jar adds. What a variant lacks is said by group ({@link ServerVariant.IoModel#refusals()}), so
 * a new option is one entry here, its field in {@code ServerOptions}, and nothing else to keep in step.
 *
 * <p>Picocli's annotations take only compile-time constants, which an enum's fields are not: they, and text built
 * at compile time, take the names from {@link Name}; everything else takes them from here.
 */
public enum ServerOption {
    HOST(Name.HOST, Group.ADDRESS),
    PORT(Name.PORT, Group.ADDRESS),
    IO_THREADS(Name.IO_THREADS, Group.EVENT_LOOPS),
    IDLE_TIMEOUT(Name.IDLE_TIMEOUT, Group.IDLE_TIMEOUT),
    MIN_PROGRESS(Name.MIN_PROGRESS, Group.IDLE_TIMEOUT),
    SHUTDOWN_GRACE(Name.SHUTDOWN_GRACE, Group.GRACEFUL_DRAIN),
    METRICS_PORT(Name.METRICS_PORT, Group.COUNTERS),
    BACKLOG(Name.BACKLOG, Group.SOCKET),
    MAX_CONNECTIONS(Name.MAX_CONNECTIONS, Group.CONNECTION_LIMIT),
    WRITE_BUFFER_LOW(Name.WRITE_BUFFER_LOW, Group.BACKPRESSURE),
    WRITE_BUFFER_HIGH(Name.WRITE_BUFFER_HIGH, Group.BACKPRESSURE),
    MAX_PENDING_BYTES(Name.MAX_PENDING_BYTES, Group.BACKPRESSURE),
    TCP_NODELAY(Name.TCP_NODELAY, Group.SOCKET),
    LISTENERS(Name.LISTENERS, Group.NATIVE_SOCKET),
    TCP_QUICKACK(Name.TCP_QUICKACK, Group.NATIVE_SOCKET),
    TCP_FASTOPEN(Name.TCP_FASTOPEN, Group.NATIVE_SOCKET),
    TCP_DEFER_ACCEPT(Name.TCP_DEFER_ACCEPT, Group.NATIVE_SOCKET),
    BUSY_POLL(Name.BUSY_POLL, Group.EPOLL),
    MAX_EVENTS(Name.MAX_EVENTS, Group.EPOLL),
    ACCEPT_BATCH(Name.ACCEPT_BATCH, Group.ACCEPT_BATCH),
    RECV_ALLOCATOR(Name.RECV_ALLOCATOR, Group.NETTY_BUFFERS),
    MAX_MESSAGES_PER_READ(Name.MAX_MESSAGES_PER_READ, Group.READ_LOOP),
    ALLOCATOR(Name.ALLOCATOR, Group.NETTY_BUFFERS),
    STATS_INTERVAL(Name.STATS_INTERVAL, Group.COUNTERS),
    VERBOSE(Name.VERBOSE, Group.LOGGING),

    /** raw-server's recipe (lt or et), and bare-server's epoll mode. */
    MODE(Name.MODE, Group.JAR_OWN),
    /** raw-server's loops. */
    THREADS(Name.THREADS, Group.JAR_OWN),
    /** How raw-server's loops share new connections. */
    ACCEPT(Name.ACCEPT, Group.JAR_OWN),
    /** oneshot-server's engine: Netty's or the kernel's ONESHOT. */
    ENGINE(Name.ENGINE, Group.JAR_OWN),
    /** oneshot-server's worker threads. */
    WORKERS(Name.WORKERS, Group.JAR_OWN),
    /** How oneshot-server's netty engine registers its sockets. */
    EPOLL_MODE(Name.EPOLL_MODE, Group.JAR_OWN),
    /** blocking-server's platform or virtual threads. */
    THREAD_KIND(Name.THREAD_KIND, Group.JAR_OWN),
    /** blocking-server's carrier threads for its virtual threads. */
    CARRIERS(Name.CARRIERS, Group.JAR_OWN),
    /** netty42-server's IoHandler: epoll or io_uring. */
    TRANSPORT(Name.TRANSPORT, Group.JAR_OWN);

    /** The names as compile-time constants, for {@code @Option(names = Name.PORT)} and help text. */
    public static final class Name {
        public static final String HOST = "--host";
        public static final String PORT = "--port";
        /** {@link #PORT}'s short form. */
        public static final String PORT_SHORT = "-p";

        public static final String IO_THREADS = "--io-threads";
        public static final String IDLE_TIMEOUT = "--idle-timeout";
        public static final String MIN_PROGRESS = "--min-progress";
        public static final String SHUTDOWN_GRACE = "--shutdown-grace";
        public static final String METRICS_PORT = "--metrics-port";
        public static final String BACKLOG = "--backlog";
        public static final String MAX_CONNECTIONS = "--max-connections";
        public static final String WRITE_BUFFER_LOW = "--write-buffer-low";
        public static final String WRITE_BUFFER_HIGH = "--write-buffer-high";
        public static final String MAX_PENDING_BYTES = "--max-pending-bytes";
        public static final String TCP_NODELAY = "--tcp-nodelay";
        /** How picocli spells {@link #TCP_NODELAY} turned off (it is negatable); {@code OneListTest} checks it. */
        public static final String NO_TCP_NODELAY = "--no-tcp-nodelay";

        public static final String LISTENERS = "--listeners";
        public static final String TCP_QUICKACK = "--tcp-quickack";
        public static final String TCP_FASTOPEN = "--tcp-fastopen";
        public static final String TCP_DEFER_ACCEPT = "--tcp-defer-accept";
        public static final String BUSY_POLL = "--busy-poll";
        public static final String MAX_EVENTS = "--max-events";
        public static final String ACCEPT_BATCH = "--accept-batch";
        public static final String RECV_ALLOCATOR = "--recv-allocator";
        public static final String MAX_MESSAGES_PER_READ = "--max-messages-per-read";
        public static final String ALLOCATOR = "--allocator";
        public static final String STATS_INTERVAL = "--stats-interval";
        public static final String VERBOSE = "--verbose";
        /** {@link #VERBOSE}'s short form. */
        public static final String VERBOSE_SHORT = "-v";

        public static final String MODE = "--mode";
        public static final String THREADS = "--threads";
        public static final String ACCEPT = "--accept";
        public static final String ENGINE = "--engine";
        public static final String WORKERS = "--workers";
        public static final String EPOLL_MODE = "--epoll-mode";
        public static final String THREAD_KIND = "--thread-kind";
        public static final String CARRIERS = "--carriers";
        public static final String TRANSPORT = "--transport";

        private Name() {}
    }

    private final String longName;
    private final Group group;

    ServerOption(String longName, Group group) {
        this.longName = longName;
        this.group = group;
    }

    /** The name a command line gives, e.g. {@code --busy-poll}. */
    public String longName() {
        return longName;
    }

    public Group group() {
        return group;
    }

    /** The lab feature a variant needs to have this option at all; empty for the address and a jar's own. */
    public Optional<Feature> feature() {
        return group.feature();
    }

    /** This option with a value, as one command-line word pair: {@code --busy-poll 50us}. */
    public String with(String value) {
        return longName + " " + value;
    }

    /** The options of the groups given, in {@code --help} order. */
    public static List<ServerOption> of(java.util.Collection<Group> groups) {
        return Arrays.stream(values())
                .filter(option -> groups.contains(option.group))
                .toList();
    }

    /** The long name, so messages and test names read as a command line does. */
    @Override
    public String toString() {
        return longName;
    }

    /**
     * What an option turns, and so which servers have it. A lab feature ({@link Feature}) brings whole groups, and
     * a transport without a group's knob refuses all of its options ({@link ServerVariant.IoModel#refusals()}).
     */
    public enum Group {
        /** Where to listen: every server has it, the bare one too. */
        ADDRESS(null),
        /** How many event loops serve the connections. */
        EVENT_LOOPS(Feature.EVENT_LOOPS),
        /** Closing idle connections, and what counts as idle. */
        IDLE_TIMEOUT(Feature.IDLE_TIMEOUT),
        /** How long connections may finish after a signal. */
        GRACEFUL_DRAIN(Feature.GRACEFUL_DRAIN),
        /** The counters, logged and served. */
        COUNTERS(Feature.COUNTERS),
        CONNECTION_LIMIT(Feature.CONNECTION_LIMIT),
        /** The water marks per connection and the server-wide budget of unsent echo. */
        BACKPRESSURE(Feature.BACKPRESSURE),
        /** Socket options every transport sets: {@code SO_BACKLOG}, {@code TCP_NODELAY}. */
        SOCKET(Feature.SERVER_OPTIONS),
        /**
         * Socket options only Netty's native transports set ({@code EpollChannelOption} and its io_uring twin):
         * {@code SO_REUSEPORT} listeners, {@code TCP_QUICKACK}, {@code TCP_FASTOPEN}, {@code TCP_DEFER_ACCEPT}.
         */
        NATIVE_SOCKET(Feature.SERVER_OPTIONS),
        /** Epoll's alone: {@code SO_BUSY_POLL} (no other Netty transport sets it), {@code epoll_wait}'s maxevents. */
        EPOLL(Feature.SERVER_OPTIONS),
        /** Connections a listener accepts per readiness event. */
        ACCEPT_BATCH(Feature.SERVER_OPTIONS),
        /** Netty's buffers: how reads are sized, and the allocator they come from. */
        NETTY_BUFFERS(Feature.SERVER_OPTIONS),
        /** Reads one readiness event may do. */
        READ_LOOP(Feature.READ_LOOP_CAP),
        /** A log line per connection event. */
        LOGGING(Feature.SERVER_OPTIONS),
        /** One jar's own options: which of its variants runs (fixed by a variant's serverArgs), and its threads. */
        JAR_OWN(null);

        private final Feature feature;

        Group(Feature feature) {
            this.feature = feature;
        }

        /** The lab feature that brings this group's options; empty for the address and a jar's own. */
        public Optional<Feature> feature() {
            return Optional.ofNullable(feature);
        }

        /** Its options, in {@code --help} order. */
        public List<ServerOption> options() {
            return of(List.of(this));
        }
    }
}
