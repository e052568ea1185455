package lab.epoll.jmh.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading perf's CSV, and the answer when perf cannot count: a reason, never made-up numbers. */
class PerfStatTest {

    @Test
    void asksPerfForEveryCountedSyscallAndEveryWaitBucket() {
        List<String> order = new ArrayList<>();
        List<String> args = PerfStat.eventArguments(order);
        int buckets = SyscallCounts.BUCKETS.length;
        int waits = SyscallCounts.EPOLL_WAITS.size() + SyscallCounts.POLLS.size();
        // io_uring's events are asked for only where the kernel has io_uring's tracepoints, all of them or none.
        boolean ring = order.contains("enter:io_uring_enter");
        assertThat(order)
                .hasSize(SyscallCounts.ENTERED.size()
                        - (ring ? 0 : 1)
                        + waits * buckets
                        + (ring ? SyscallCounts.URING_EVENTS.size() : 0)
                        + SyscallCounts.SOFTWARE_EVENTS.size());
        if (ring) {
            assertThat(args)
                    .containsSequence("-e", "io_uring:io_uring_submit_req")
                    .containsSequence("-e", "syscalls:sys_enter_io_uring_enter");
        }
        assertThat(args)
                .containsSequence("-e", "syscalls:sys_enter_epoll_ctl")
                .containsSequence("-e", "context-switches")
                .containsSequence("-e", "syscalls:sys_exit_epoll_pwait2", "--filter", "ret == 0")
                .containsSequence("-e", "syscalls:sys_exit_poll", "--filter", "ret >= 3 && ret <= 4")
                .containsSequence("-e", "syscalls:sys_exit_epoll_wait", "--filter", "ret >= 65");
    }

    @Test
    void groupsCountsByKindAndAveragesEventsPerWait() {
        List<String> order = new ArrayList<>();
        PerfStat.eventArguments(order);
        List<String> csv = new ArrayList<>(List.of("# started on Sun Nov 22 04:32:47 2026", ""));
        List<String> closing = new ArrayList<>(); // an interval that counted nothing: the window has ended
        for (String event : order) {
            long value = switch (event) {
                case "enter:epoll_pwait2" -> 30;
                case "enter:epoll_wait" -> 10;
                case "enter:recvfrom" -> 120;
                case "enter:read" -> 5;
                case "enter:writev" -> 3;
                case "enter:sendto" -> 97;
                case "enter:epoll_ctl" -> 7;
                case "exit:epoll_pwait2:1" -> 20; // 20 waits returned 1 event
                case "exit:epoll_pwait2:2" -> 10; // 10 returned 2
                case "exit:epoll_wait:0" -> 10; // 10 timed out with none
                case "enter:io_uring_enter" -> 4;
                case "ring:io_uring_submit_req" -> 12;
                case "sw:context-switches" -> 9;
                default -> 0;
            };
            csv.add("     0.100," + value + ",,syscalls:" + event + ",69439175,100.00,,");
            closing.add("     0.200,<not counted>,,syscalls:" + event + ",0,100.00,,");
        }
        // One event perf could not count in the window: ppoll's last bucket (the two header lines come first).
        csv.set(
                2 + order.indexOf("exit:ppoll:" + (SyscallCounts.BUCKETS.length - 1)),
                "     0.100,<not counted>,,syscalls:sys_exit_ppoll,0,100.00,,");
        csv.addAll(closing);

        SyscallCounts counts = PerfStat.counts(
                PerfStat.sum(PerfStat.window(PerfStat.intervals(csv, order.size()), Double.NEGATIVE_INFINITY)), order);
        assertThat(counts.epollWaits()).isEqualTo(40);
        assertThat(counts.polls()).isZero();
        assertThat(counts.reads()).isEqualTo(125);
        assertThat(counts.writes()).isEqualTo(100);
        assertThat(counts.epollCtls()).isEqualTo(7);
        boolean ring = order.contains("enter:io_uring_enter");
        assertThat(counts.total()).isEqualTo(40 + 125 + 100 + 7 + (ring ? 4 : 0));
        assertThat(counts.ioUringSubmissions()).isEqualTo(ring ? 12 : -1);
        assertThat(counts.contextSwitches())
                .as("a software event, not a syscall")
                .isEqualTo(9);
        assertThat(counts.waitsReturning(0)).isEqualTo(10);
        // (20 x 1 + 10 x 2 + 10 x 0) events over 40 waits
        assertThat(counts.eventsPerWait()).isEqualTo(1.0);
    }

    /** perf's -I output for two events: the time, then one line per event. */
    private static List<String> interval(String time, String read, String write) {
        return List.of(
                "     " + time + "," + read + ",,syscalls:sys_enter_read,100,100.00,,",
                "     " + time + "," + write + ",,syscalls:sys_enter_write,100,100.00,,");
    }

    @Test
    void aWindowSumsTheIntervalsThatCountedOnceOneThatCountedNothingFollows() {
        List<String> csv = new ArrayList<>(List.of("# started on Mon Dec  7 03:02:28 2026", ""));
        csv.addAll(interval("0.100", "<not counted>", "<not counted>")); // before the window
        csv.addAll(interval("0.200", "<not counted>", "<not counted>")); // after start() read, before enable
        csv.addAll(interval("0.300", "7", "5")); // enabled part of the way
        csv.addAll(interval("0.400", "0", "0")); // enabled, nothing called: still counted
        csv.addAll(interval("0.500", "11", "13")); // disabled part of the way
        List<PerfStat.Interval> printed = PerfStat.intervals(csv, 2);
        assertThat(PerfStat.window(printed, 0.100))
                .as("no interval without counting after the counted ones yet")
                .isNull();

        csv.addAll(interval("0.600", "<not counted>", "<not counted>"));
        csv.add("     0.700,<not counted>,,syscalls:sys_enter_read,0,100.00,,"); // perf still writing this one
        printed = PerfStat.intervals(csv, 2);
        assertThat(printed).as("whole intervals only").hasSize(6);
        List<PerfStat.Interval> window = PerfStat.window(printed, 0.100);
        assertThat(window).extracting(PerfStat.Interval::seconds).containsExactly(0.2, 0.3, 0.4, 0.5);
        assertThat(PerfStat.sum(window)).containsExactly(18L, 18L);

        // The next window starts after everything printed before it: 0.600.
        csv.addAll(interval("0.800", "3", "4"));
        csv.addAll(interval("0.900", "<not counted>", "<not counted>"));
        assertThat(PerfStat.sum(PerfStat.window(PerfStat.intervals(csv, 2), 0.600)))
                .containsExactly(3L, 4L);
    }

    /**
     * perf's --per-thread lines carry the thread before the count, every thread of one event before the next
     * event; a thread that did not run in an interval prints "<not counted>", which is a 0.
     */
    @Test
    void perThreadCountsKeepEachThreadApartAndPickTheServingLoops() {
        List<String> order = new ArrayList<>();
        ThreadCounts.eventArguments(order);
        List<String> threads = List.of("raw-epoll-0-101", "raw-epoll-1-102", "raw-accept-103");
        long[][] counted = { // per event in ThreadCounts.Event order: closes, accepted, accept EAGAIN, switches
            {30, 10, 0}, {0, 0, 40}, {0, 0, 7}, {31, 12, 45}
        };
        List<String> csv = new ArrayList<>(List.of("# started on Mon Dec  7 20:10:00 2026", ""));
        for (String time : List.of("0.100", "0.200")) {
            for (int e = 0; e < order.size(); e++) {
                for (int t = 0; t < threads.size(); t++) {
                    String value = time.equals("0.200") ? "<not counted>" : Long.toString(counted[e][t]);
                    csv.add("     " + time + "," + threads.get(t) + "," + value + ",,event" + e + ",100,100.00,,");
                }
            }
        }
        List<PerfStat.Interval> window =
                PerfStat.window(PerfStat.intervals(csv, order.size(), threads.size()), Double.NEGATIVE_INFINITY);
        ThreadCounts counts =
                ThreadCounts.of(PerfStat.sum(window), window.get(0).threads(), order);

        assertThat(counts.accepted()).isEqualTo(40);
        assertThat(counts.acceptsFoundEmpty()).isEqualTo(7);
        assertThat(counts.contextSwitches()).isEqualTo(88);
        assertThat(counts.closesPerLoop(2))
                .as("the two loops, not the acceptor")
                .containsExactly(30, 10);
        assertThat(counts.closesPerLoop(3)).as("a loop that served none counts").containsExactly(30, 10, 0);
        assertThat(counts.closesPerLoop(0))
                .as("without a count: those that served any")
                .containsExactly(30, 10);
        assertThat(ThreadCounts.jain(new long[] {30, 10})).isEqualTo(0.8);
        assertThat(ThreadCounts.jain(new long[] {40, 0})).isEqualTo(0.5);
    }

    @Test
    void refusesOutputThatDoesNotMatchWhatWasAsked() {
        List<String> order = List.of("enter:read", "enter:write");
        assertThatThrownBy(() -> PerfStat.counts(List.of(5L), order))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 counts for 2 events");
    }

    @Test
    void withoutPerfThereIsAReasonInsteadOfCounts() {
        assertThat(PerfStat.check("/nonexistent/perf")).startsWith("cannot run '/nonexistent/perf'");
        assertThat(PerfStat.check("false")).isEqualTo("disabled with -Dlab.perf=false");
    }
}
