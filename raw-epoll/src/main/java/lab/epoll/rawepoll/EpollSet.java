package lab.epoll.rawepoll;

import io.netty.channel.ChannelException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventArray;
import io.netty.channel.epoll.LabEpollAccess;
import io.netty.channel.epoll.Native;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import lab.epoll.common.server.ErrorText;
import lab.epoll.common.server.ServerStartException;

/**
 * One epoll instance and the two fds every loop built on it keeps inside it:
 * <ul>
 *   <li>an eventfd, {@code EPOLLIN} level-triggered: another thread {@link #wake() writes} it to wake the loop
 *       (shutdown, a task to run); it stays readable until a loop {@link #clearWake() reads} it;</li>
 *   <li>a timerfd: the idle sweep. A wait that {@link #wait(EpollEventArray, long) arms} it expires once;
 *       whoever handles the expiry {@link #clearTimer() reads} it and arms it again on its next wait.</li>
 * </ul>
 * The caller registers the timer with the flags its loop needs ({@code EPOLLONESHOT} when several threads wait).
 */
public final class EpollSet implements AutoCloseable {
    private final FileDescriptor epoll;
    private final FileDescriptor wake;
    private final FileDescriptor timer;

    private EpollSet(FileDescriptor epoll, FileDescriptor wake, FileDescriptor timer) {
        this.epoll = epoll;
        this.wake = wake;
        this.timer = timer;
    }

    /** epoll_create1, eventfd and timerfd_create; the eventfd registered {@code EPOLLIN}, the timer {@code timerFlags}. */
    public static EpollSet open(int timerFlags) throws ServerStartException {
        if (!Epoll.isAvailable()) {
            // Epoll's class initializer loads Native, whose JNI everything here runs on.
            throw ErrorText.unavailable("epoll", Epoll.unavailabilityCause());
        }
        FileDescriptor epoll = null;
        FileDescriptor wake = null;
        FileDescriptor timer = null;
        try {
            epoll = Native.newEpollCreate();
            wake = Native.newEventFd();
            timer = Native.newTimerFd();
            Native.epollCtlAdd(epoll.intValue(), wake.intValue(), Native.EPOLLIN);
            Native.epollCtlAdd(epoll.intValue(), timer.intValue(), timerFlags);
            return new EpollSet(epoll, wake, timer);
        } catch (IOException | ChannelException e) {
            closeAll(timer, wake, epoll);
            throw new ServerStartException("cannot create the epoll set: " + ErrorText.of(e), e);
        }
    }

    public int wakeFd() {
        return wake.intValue();
    }

    public int timerFd() {
        return timer.intValue();
    }

    public void add(int fd, int events) throws IOException {
        Native.epollCtlAdd(epoll.intValue(), fd, events);
    }

    public void modify(int fd, int events) throws IOException {
        Native.epollCtlMod(epoll.intValue(), fd, events);
    }

    /** {@code EPOLL_CTL_DEL}: the only way to change a registration made with {@code EPOLLEXCLUSIVE}. */
    public void remove(int fd) throws IOException {
        Native.epollCtlDel(epoll.intValue(), fd);
    }

    /**
     * {@code epoll_wait} with no timeout; with {@code armTimerNanos > 0} the timer is first set to expire that far
     * ahead ({@code timerfd_settime}, which Netty's JNI does in the same call).
     */
    public int wait(EpollEventArray events, long armTimerNanos) throws IOException {
        return armTimerNanos > 0
                ? LabEpollAccess.epollWaitArmingTimer(epoll, events, timer, armTimerNanos)
                : LabEpollAccess.epollWait(epoll, events, -1);
    }

    /** Any thread: makes the wake eventfd readable, so waiting threads return from {@code epoll_wait}. */
    public void wake() {
        Native.eventFdWrite(wake.intValue(), 1L);
    }

    /** Reads the wake eventfd back to zero: it stops reporting until the next {@link #wake()}. */
    public void clearWake() {
        readCounter(wake);
    }

    /** Reads the timer's expiration count, which resets it. */
    public void clearTimer() {
        readCounter(timer);
    }

    /** Both fds read as one 8-byte counter; nothing to read (EAGAIN: another thread got there) is fine. */
    private static void readCounter(FileDescriptor fd) {
        try {
            fd.read(ByteBuffer.allocateDirect(8), 0, 8);
        } catch (IOException ignored) {
            // Only the count is lost, and nobody needs it.
        }
    }

    @Override
    public void close() {
        closeAll(timer, wake, epoll);
    }

    private static void closeAll(FileDescriptor... fds) {
        for (FileDescriptor fd : fds) {
            if (fd != null) {
                try {
                    fd.close();
                } catch (IOException ignored) {
                    // Best effort at the very end.
                }
            }
        }
    }
}
