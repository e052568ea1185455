package lab.epoll.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/** Sends real signals with kill(1), as an operator would; Java's Process API only knows TERM and KILL. */
public final class Signals {
    private Signals() {
    }

    /** Sends {@code name} ({@code TERM}, {@code INT}, {@code KILL}, ...) to {@code pid}; fails if kill(1) does. */
    public static void send(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
