package lab.epoll.jmh.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import lab.epoll.catalog.CpuSet;

/**
 * Pins the benchmark JVM (the client) to its CPUs with {@code taskset -a -p}: every thread it has now, and so every
 * thread those create later, which inherit their creator's affinity.
 */
final class ClientPinning {
    private ClientPinning() {}

    static void pinThisJvm(CpuSet cpus) {
        if (!cpus.pinned()) {
            return;
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus.text(), pid)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(taskset.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!taskset.waitFor(30, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
                throw new IllegalStateException("taskset could not pin the client to CPUs " + cpus + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run taskset (util-linux) to pin the client", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
