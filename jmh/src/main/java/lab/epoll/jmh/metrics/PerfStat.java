package lab.epoll.jmh.metrics;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.epoll.process.ProcThreads;

/**
 * Exact syscall counts of a running server from {@code perf stat -e 'syscalls:sys_enter_*' -t TIDS}: kernel
 * tracepoints, so every call is counted, unlike sampling. Counting is switched on and off through perf's
 * control FIFO, which acknowledges each switch, so the counted window is exactly the one we ask for.
 *
 * <p>One perf serves a whole trial: setting up its ~60 tracepoint events takes about a second, which once per
 * iteration was half of a quick trial's time. perf prints what it counted every {@link #INTERVAL_MILLIS} ms
 * ({@code -I}); a window's counts are the sum of the intervals printed after it was switched on, up to the first
 * whole interval printed after it was switched off (counting is off in every later one). perf runs on the
 * client's CPUs, whose affinity it inherits.
 *
 * <p>{@link #attachPerThread} counts a few events per thread instead ({@code --per-thread}): who accepted and who
 * closed connections, and who was woken, for the scenarios where the question is how work spreads over threads.
 *
 * <p>perf needs root or {@code kernel.perf_event_paranoid <= -1} and tracefs; {@link #availability()} says
 * whether this machine has them, and if not, the harness reports no syscall counts rather than estimates.
 */
public final class PerfStat implements AutoCloseable {
    /** How often perf prints its counts: the most a window's end waits for them. */
    static final int INTERVAL_MILLIS = 100;

    private static final long WINDOW_END_TIMEOUT_MILLIS = 10_000;
    /** The system property naming perf's command, or {@code false} to count nothing. */
    public static final String PROPERTY = "lab.perf";
    /** Why perf cannot count here, per perf command ({@code -Dlab.perf}); "" means it can. */
    private static final Map<String, String> AVAILABILITY = new java.util.concurrent.ConcurrentHashMap<>();

    private final Process perf;
    private final Path dir;
    private final RandomAccessFile control;
    private final RandomAccessFile ack;
    private final List<String> eventOrder;
    /** Lines perf prints per event per interval: one per counted thread with {@code --per-thread}, else one. */
    private final int linesPerEvent;

    private final boolean perThread;
    /** The last interval printed before the window was switched on: the window counts the ones after it. */
    private double countedAfter = Double.NEGATIVE_INFINITY;

    private PerfStat(
            Process perf,
            Path dir,
            RandomAccessFile control,
            RandomAccessFile ack,
            List<String> eventOrder,
            int linesPerEvent,
            boolean perThread) {
        this.linesPerEvent = linesPerEvent;
        this.perThread = perThread;
        this.perf = perf;
        this.dir = dir;
        this.control = control;
        this.ack = ack;
        this.eventOrder = eventOrder;
    }

    /**
     * Null when perf can count syscall tracepoints here, else why not. {@code -Dlab.perf=PATH} names another perf,
     * {@code -Dlab.perf=false} turns counting off. Checked once per command.
     */
    public static String availability() {
        String reason = AVAILABILITY.computeIfAbsent(System.getProperty(PROPERTY, "perf"), command -> {
            String r = check(command);
            return r == null ? "" : r;
        });
        return reason.isEmpty() ? null : reason;
    }

    /** Tries {@code perf stat} on one syscall tracepoint around {@code true}; null if it counted. */
    static String check(String perfCommand) {
        if ("false".equals(perfCommand)) {
            return "disabled with -Dlab.perf=false";
        }
        try {
            Process p = new ProcessBuilder(
                            perfCommand, "stat", "-x,", "-e", "syscalls:sys_enter_epoll_wait", "--", "true")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "'" + perfCommand + " stat' did not finish";
            }
            if (p.exitValue() != 0 || out.contains("<not supported>") || out.contains("<not counted>")) {
                String firstLine =
                        out.lines().filter(l -> !l.isBlank()).findFirst().orElse("no output");
                return "'" + perfCommand + " stat -e syscalls:sys_enter_epoll_wait' failed: " + firstLine.trim();
            }
            return null;
        } catch (IOException e) {
            return "cannot run '" + perfCommand + "': " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Whether this kernel has io_uring (and so its tracepoints): perf refuses to start on an event that does not
     * exist, so without it the io_uring counts are left out rather than failing every measurement.
     */
    private static final boolean IO_URING_TRACEPOINTS = java.util.stream.Stream.of(
                    "/sys/kernel/tracing/events/io_uring", "/sys/kernel/debug/tracing/events/io_uring")
            .anyMatch(dir -> Files.isDirectory(Path.of(dir)));

    /** perf's {@code -e} arguments, in the order its CSV output lists the counts. */
    static List<String> eventArguments(List<String> order) {
        List<String> args = new ArrayList<>();
        for (String syscall : SyscallCounts.ENTERED) {
            if (syscall.startsWith("io_uring") && !IO_URING_TRACEPOINTS) {
                continue;
            }
            args.add("-e");
            args.add("syscalls:sys_enter_" + syscall);
            order.add("enter:" + syscall);
        }
        List<String> waits = new ArrayList<>(SyscallCounts.EPOLL_WAITS);
        waits.addAll(SyscallCounts.POLLS);
        for (String wait : waits) {
            for (int b = 0; b < SyscallCounts.BUCKETS.length; b++) {
                int[] bucket = SyscallCounts.BUCKETS[b];
                String filter = bucket[0] == bucket[1]
                        ? "ret == " + bucket[0]
                        : bucket[1] < 0 ? "ret >= " + bucket[0] : "ret >= " + bucket[0] + " && ret <= " + bucket[1];
                args.addAll(List.of("-e", "syscalls:sys_exit_" + wait, "--filter", filter));
                order.add("exit:" + wait + ":" + b);
            }
        }
        if (IO_URING_TRACEPOINTS) {
            for (String event : SyscallCounts.URING_EVENTS) {
                args.addAll(List.of("-e", "io_uring:" + event));
                order.add("ring:" + event);
            }
        }
        for (String event : SyscallCounts.SOFTWARE_EVENTS) {
            args.addAll(List.of("-e", event));
            order.add("sw:" + event);
        }
        return args;
    }

    /**
     * perf opens one counter, one fd, per event per counted thread: a server with a thread per connection would
     * need hundreds of thousands. Null when the server's threads are few enough, else why not.
     */
    public static String tooManyThreads(long pid) {
        int threads = ProcThreads.applicationThreadIds(pid).size();
        List<String> events = new ArrayList<>();
        eventArguments(events);
        int counters = threads * events.size();
        return counters <= MAX_COUNTERS
                ? null
                : "the server has " + threads + " threads, and perf would open " + counters
                        + " counters for them, more than " + MAX_COUNTERS;
    }

    /** The most counters (fds) perf is asked to open for one server: well under the lab's open-file limit. */
    static final int MAX_COUNTERS = 8_000;

    /**
     * Attaches to the server's own threads (event loops, workers), counting nothing until {@link #start()}.
     * HotSpot's threads are left out: they read cgroup files and class files with {@code read(2)}, which would
     * otherwise be counted as the server reading sockets.
     */
    public static PerfStat attach(long pid) {
        List<String> order = new ArrayList<>();
        List<String> events = eventArguments(order);
        return attach(pid, events, order, false);
    }

    /**
     * Attaches to the server's own threads as {@link #attach} does, counting per thread the events of
     * {@link ThreadCounts#EVENTS}; {@link #stopPerThread()} ends each window.
     */
    public static PerfStat attachPerThread(long pid) {
        List<String> order = new ArrayList<>();
        List<String> events = ThreadCounts.eventArguments(order);
        return attach(pid, events, order, true);
    }

    private static PerfStat attach(long pid, List<String> events, List<String> order, boolean perThread) {
        try {
            Path dir = Files.createTempDirectory("lab-perf");
            Path ctl = dir.resolve("ctl");
            Path ack = dir.resolve("ack");
            for (Path fifo : List.of(ctl, ack)) {
                Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString())
                        .inheritIO()
                        .start();
                if (mkfifo.waitFor() != 0) {
                    throw new IOException("mkfifo " + fifo + " failed");
                }
            }
            List<Long> threads = ProcThreads.applicationThreadIds(pid);
            List<String> command = new ArrayList<>(List.of(
                    System.getProperty(PROPERTY, "perf"),
                    "stat",
                    "-x,",
                    "--delay=-1",
                    "--control",
                    "fifo:" + ctl + "," + ack,
                    "-I",
                    Integer.toString(INTERVAL_MILLIS),
                    "-o",
                    dir.resolve("out.csv").toString(),
                    "-t",
                    threads.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","))));
            if (perThread) {
                command.add("--per-thread");
            }
            command.addAll(events);
            Process perf = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("perf.log").toFile())
                    .start();
            // Opening a FIFO read-write never blocks, whether or not perf has opened its end yet.
            return new PerfStat(
                    perf,
                    dir,
                    new RandomAccessFile(ctl.toFile(), "rw"),
                    new RandomAccessFile(ack.toFile(), "rw"),
                    order,
                    perThread ? threads.size() : 1,
                    perThread);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start perf", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a window: counting on; returns once perf acknowledged. */
    public void start() {
        countedAfter = lastInterval(intervals(readOutput()));
        command("enable");
    }

    /**
     * Ends the window: counting off, and what it counted once perf has printed all of it; perf keeps running. The
     * window's counts are in the intervals that counted, after {@link #start()}; the first interval after them
     * that counted nothing at all ({@code <not counted>} for every event: counting was off all through it) says
     * that every one of them is printed.
     */
    public SyscallCounts stop() {
        if (perThread) {
            throw new IllegalStateException("a per-thread perf ends its windows with stopPerThread()");
        }
        return counts(sum(stopWindow()), eventOrder);
    }

    /** As {@link #stop()}, for a perf attached with {@link #attachPerThread}: each thread's counts. */
    public ThreadCounts stopPerThread() {
        if (!perThread) {
            throw new IllegalStateException("perf was not attached per thread");
        }
        List<Interval> window = stopWindow();
        return ThreadCounts.of(sum(window), window.get(0).threads(), eventOrder);
    }

    private List<Interval> stopWindow() {
        command("disable");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WINDOW_END_TIMEOUT_MILLIS);
        for (; ; ) {
            List<Interval> window = window(intervals(readOutput()), countedAfter);
            if (window != null) {
                return window;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("perf printed no closed window in " + WINDOW_END_TIMEOUT_MILLIS
                        + " ms after counting stopped (log: " + readQuietly(dir.resolve("perf.log")) + ")");
            }
            sleepQuietly(INTERVAL_MILLIS / 5);
        }
    }

    private List<String> readOutput() {
        Path out = dir.resolve("out.csv");
        if (!Files.exists(out)) {
            return List.of(); // perf has not opened it yet
        }
        try {
            return Files.readAllLines(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One interval perf printed: its end, in seconds since perf started; one count per event, in event order; and
     * whether any event counted in it at all (a count, even 0, rather than {@code <not counted>}).
     */
    record Interval(double seconds, List<Long> values, boolean counted, List<String> threads) {
        Interval(double seconds, List<Long> values, boolean counted) {
            this(seconds, values, counted, List.of());
        }
    }

    private List<Interval> intervals(List<String> lines) {
        return perThread ? intervals(lines, eventOrder.size(), linesPerEvent) : intervals(lines, eventOrder.size());
    }

    /**
     * perf's {@code -I -x,} output as whole intervals: one {@code time,value,unit,event,...} line per event, the
     * events in the order asked; a last interval still being written is left out.
     */
    static List<Interval> intervals(List<String> lines, int events) {
        List<Interval> intervals = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        boolean counted = false;
        String time = null;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", 3);
            if (fields.length < 3) {
                continue; // a line perf is still writing
            }
            if (!fields[0].equals(time)) {
                values = new ArrayList<>();
                counted = false;
                time = fields[0];
            }
            boolean notCounted = fields[1].startsWith("<");
            counted |= !notCounted;
            values.add(notCounted ? 0L : Long.parseLong(fields[1]));
            if (values.size() == events) {
                intervals.add(new Interval(Double.parseDouble(time.trim()), values, counted));
            }
        }
        return intervals;
    }

    /**
     * perf's {@code -I -x, --per-thread} output: one {@code time,comm-tid,value,unit,event,...} line per event and
     * thread, all threads of the first event, then of the next. Each interval's values are event-major
     * ({@code values[event * threads + thread]}); its threads are perf's names for them, in its order.
     */
    static List<Interval> intervals(List<String> lines, int events, int threads) {
        List<Interval> intervals = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<String> names = new ArrayList<>();
        boolean counted = false;
        String time = null;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", 4);
            if (fields.length < 4) {
                continue; // a line perf is still writing
            }
            if (!fields[0].equals(time)) {
                values = new ArrayList<>();
                names = new ArrayList<>();
                counted = false;
                time = fields[0];
            }
            if (names.size() < threads) {
                names.add(fields[1]);
            }
            boolean notCounted = fields[2].startsWith("<");
            counted |= !notCounted;
            values.add(notCounted ? 0L : Long.parseLong(fields[2]));
            if (values.size() == events * threads) {
                intervals.add(new Interval(Double.parseDouble(time.trim()), values, counted, names));
            }
        }
        return intervals;
    }

    private static double lastInterval(List<Interval> intervals) {
        return intervals.isEmpty()
                ? Double.NEGATIVE_INFINITY
                : intervals.get(intervals.size() - 1).seconds();
    }

    /**
     * The intervals of a window that started after {@code after} and has ended: from the first after it up to the
     * last that counted, once an interval that counted nothing follows that one; null while it may go on.
     */
    static List<Interval> window(List<Interval> intervals, double after) {
        List<Interval> window = new ArrayList<>();
        int lastCounted = -1;
        for (Interval interval : intervals) {
            if (interval.seconds() <= after) {
                continue;
            }
            if (interval.counted()) {
                lastCounted = window.size();
            } else if (lastCounted >= 0) {
                return window.subList(0, lastCounted + 1);
            }
            window.add(interval);
        }
        return null;
    }

    /** Each event's counts over the intervals. */
    static List<Long> sum(List<Interval> intervals) {
        List<Long> sums = new ArrayList<>(intervals.get(0).values());
        for (Interval interval : intervals.subList(1, intervals.size())) {
            for (int i = 0; i < sums.size(); i++) {
                sums.set(i, sums.get(i) + interval.values().get(i));
            }
        }
        return sums;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // perf prints on its own clock; there is no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void command(String word) {
        try {
            control.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    // perf writes its acknowledgement with the C string's terminating NUL: "ack\n\0".
                    byte[] buf = new byte[5];
                    ack.readFully(buf);
                    return new String(buf, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String answer = reply.get(30, TimeUnit.SECONDS);
            if (!answer.startsWith("ack\n")) {
                throw new IllegalStateException("perf answered '" + answer + "' to " + word);
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "perf did not acknowledge '" + word + "' (log: " + readQuietly(dir.resolve("perf.log")) + ")", e);
        }
    }

    /** One count per event of {@code eventOrder}, grouped by kind. */
    static SyscallCounts counts(List<Long> values, List<String> eventOrder) {
        if (values.size() != eventOrder.size()) {
            throw new IllegalStateException(
                    "perf printed " + values.size() + " counts for " + eventOrder.size() + " events");
        }
        Map<String, Long> entered = new LinkedHashMap<>();
        Map<String, long[]> waitReturns = new LinkedHashMap<>();
        Map<String, Long> namedEvents = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            String[] key = eventOrder.get(i).split(":");
            if (key[0].equals("enter")) {
                entered.put(key[1], values.get(i));
            } else if (key[0].equals("ring") || key[0].equals("sw")) {
                namedEvents.put(key[1], values.get(i));
            } else {
                waitReturns
                                .computeIfAbsent(key[1], k -> new long[SyscallCounts.BUCKETS.length])[
                                Integer.parseInt(key[2])] =
                        values.get(i);
            }
        }
        return new SyscallCounts(entered, waitReturns, namedEvents);
    }

    private static String readQuietly(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return "unreadable";
        }
    }

    @Override
    public void close() {
        perf.destroyForcibly();
        try {
            control.close();
            ack.close();
            try (var files = Files.list(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // Temp files; nothing depends on them any more.
        }
    }
}
