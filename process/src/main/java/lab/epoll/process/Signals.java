package lab.epoll.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Sends real signals with kill(1), as an operator would; Java's Process API only knows TERM and KILL. */
public final class Signals {
    private Signals() {}

    /**
     * Sends {@code name} ({@code TERM}, {@code INT}, {@code KILL}, ...) to {@code pid}; fails if kill(1) does, with
     * what it said (kept off the console: a caller may expect the process to be gone, and say nothing).
     */
    public static void send(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            String said = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(
                        "kill -s " + name + " " + pid + " failed" + (said.isEmpty() ? "" : ": " + said));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
