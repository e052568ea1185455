package io.netty.channel.epoll;

import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;

/**
 * The lab's only class inside Netty's package, and the only place it uses Netty internals that are not public.
 *
 * <p>Why it exists: the kernel ONESHOT engine calls {@code epoll_wait} itself, through the JNI bindings of
 * netty-transport-native-epoll, so the lab needs no C code of its own. Those bindings take an
 * {@link EpollEventArray} (the {@code struct epoll_event[]} that {@code epoll_wait} fills), whose constructor and
 * accessors are package-private, and the wait with an epoll timeout is package-private in {@link Native}. Putting
 * the calls here, in a class that is compiled against Netty's package, keeps every such dependency in one file:
 * a Netty upgrade that changes them breaks this file's compilation, and {@code LabEpollAccessTest} checks that
 * the calls still do what the engine relies on (events and fds come back, the timerfd is armed, an event array
 * is freed).
 *
 * <p>Everything else the engine uses is public API: {@link Native#newEpollCreate()}, {@link Native#epollCtlAdd},
 * {@link Native#epollCtlMod}, {@link Native#newTimerFd()}, {@link Native#newEventFd()},
 * {@code io.netty.channel.unix.Socket} and {@link LinuxSocket#newSocketStream()}.
 */
public final class LabEpollAccess {
    private LabEpollAccess() {}

    /** A {@code struct epoll_event[length]} in native memory; free it with {@link #free}. */
    public static EpollEventArray newEventArray(int length) {
        return new EpollEventArray(length);
    }

    public static int length(EpollEventArray events) {
        return events.length();
    }

    /** The {@code events} bit mask of the {@code index}-th ready entry. */
    public static int events(EpollEventArray events, int index) {
        return events.events(index);
    }

    /** The fd of the {@code index}-th ready entry (Netty registers every fd with {@code data.fd = fd}). */
    public static int fd(EpollEventArray events, int index) {
        return events.fd(index);
    }

    /** Releases the native memory; the array must not be used afterwards. */
    public static void free(EpollEventArray events) {
        events.free();
    }

    /**
     * {@code epoll_wait(epfd, events, length, timeoutMillis)}: -1 blocks until an event, 0 polls. Returns the
     * number of ready entries; retries on {@code EINTR}.
     */
    public static int epollWait(FileDescriptor epollFd, EpollEventArray events, int timeoutMillis) throws IOException {
        return Native.epollWait(epollFd, events, timeoutMillis);
    }

    /**
     * Arms {@code timerFd} to expire once, {@code delayNanos} from now ({@code timerfd_settime}), then blocks in
     * {@code epoll_wait(epfd, events, length, -1)}. Netty's JNI offers no other way to set a timerfd; its event
     * loop arms its own timerfd this way. The timer is one-shot; the engine re-arms it after each expiry.
     */
    @SuppressWarnings("deprecation") // public, deprecated in 4.1 but kept working; the only timerfd_settime binding
    public static int epollWaitArmingTimer(
            FileDescriptor epollFd, EpollEventArray events, FileDescriptor timerFd, long delayNanos)
            throws IOException {
        if (delayNanos <= 0) {
            throw new IllegalArgumentException("delayNanos must be > 0 (0 would poll instead of arming)");
        }
        int seconds = (int) Math.min(Integer.MAX_VALUE - 1, delayNanos / 1_000_000_000L);
        int nanos = (int) (delayNanos % 1_000_000_000L);
        return Native.epollWait(epollFd, events, timerFd, seconds, nanos);
    }
}
