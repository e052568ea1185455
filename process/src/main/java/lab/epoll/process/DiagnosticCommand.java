package lab.epoll.process;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Runs a diagnostic command ({@code jcmd PID COMMAND}) in another JVM through the JDK's attach API, from this
 * JVM: spawning {@code jcmd} costs a whole JVM start (~0.3 s of CPU) per checked stop, hundreds of times a suite.
 *
 * <p>The attach API's public face has no jcmd; its HotSpot implementation does, in a package the JVM must be
 * told to export: {@code --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED} (the lab's test argLine has it).
 */
public final class DiagnosticCommand {
    private static final String EXPORT_FLAG = "--add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED";

    private DiagnosticCommand() {}

    /** Runs {@code command} (e.g. {@code GC.run}) in the JVM {@code pid} and returns what it printed. */
    public static String run(long pid, String command) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new IllegalStateException("cannot attach to JVM " + pid + " to run " + command + ": " + e, e);
        }
        try {
            Method executeJCmd = vm.getClass().getMethod("executeJCmd", String.class);
            try (InputStream out = (InputStream) executeJCmd.invoke(vm, command)) {
                return new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IllegalAccessException | NoSuchMethodException e) {
            throw new IllegalStateException(
                    "the attach API's jcmd is not reachable; run this JVM with " + EXPORT_FLAG, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("JVM " + pid + " failed " + command + ": " + e.getCause(), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("JVM " + pid + " failed " + command, e);
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // The target may be gone already; nothing is left to release on this side.
            }
        }
    }
}
