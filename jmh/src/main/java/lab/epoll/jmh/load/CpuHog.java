package lab.epoll.jmh.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import lab.epoll.catalog.CpuSet;

/**
 * A thread that spins on the server's CPU, so the server gets about half of it and the load offered to it is
 * more than it can serve. On loopback the client pays as much per echo as the server (TCP's work is symmetric),
 * so a client on its own CPU cannot outrun a server on its own CPU: without a hog the two settle near the same
 * rate, and whether the server's loop falls behind (and new connections wait in its accept queue) flips from run
 * to run. With it the server is saturated in every run, which is the condition the newcomer scenario is about.
 */
public final class CpuHog implements AutoCloseable {
    private final Thread thread;
    private volatile boolean stop;
    private volatile String pinFailure;

    private CpuHog(CpuSet cpus) {
        thread = new Thread(
                () -> {
                    pinFailure = pinCurrentThread(cpus);
                    while (!stop) { // a volatile read per turn: the loop cannot be optimised away
                        Thread.onSpinWait();
                    }
                },
                "cpu-hog");
        thread.setDaemon(true);
    }

    /** Starts a hog pinned to {@code cpus}; fails with the reason when it cannot be pinned there. */
    public static CpuHog start(CpuSet cpus) {
        CpuHog hog = new CpuHog(cpus);
        hog.thread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (hog.pinFailure == null && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // taskset takes milliseconds
        }
        if (hog.pinFailure == null || !hog.pinFailure.isEmpty()) {
            hog.close();
            throw new IllegalStateException("cannot pin the CPU hog to CPUs " + cpus + ": "
                    + (hog.pinFailure == null ? "taskset did not answer" : hog.pinFailure));
        }
        return hog;
    }

    /** Pins the calling thread alone ({@code taskset -p} on its thread id); "" when done, else why not. */
    private static String pinCurrentThread(CpuSet cpus) {
        try {
            // /proc/thread-self links to PID/task/TID.
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self"))
                    .getFileName()
                    .toString();
            Process taskset = new ProcessBuilder("taskset", "-p", "-c", cpus.text(), tid)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return taskset.waitFor(30, TimeUnit.SECONDS) && taskset.exitValue() == 0 ? "" : out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
