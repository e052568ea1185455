package lab.epoll.oneshot.kernel;

import io.netty.channel.epoll.Native;
import java.util.StringJoiner;

/**
 * The {@code epoll_event.events} bits the kernel engine uses. Netty's {@link Native} exports the ones its own
 * event loop needs; {@code EPOLLHUP} and {@code EPOLLONESHOT} it never asks for, so they are spelled out here
 * with their values from the Linux UAPI header {@code <linux/eventpoll.h>} (the same on every architecture).
 */
final class EpollFlags {
    static final int EPOLLIN = Native.EPOLLIN;
    static final int EPOLLOUT = Native.EPOLLOUT;
    static final int EPOLLERR = Native.EPOLLERR;
    static final int EPOLLRDHUP = Native.EPOLLRDHUP;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLONESHOT = 1 << 30;

    /** What a client socket is registered with, and re-armed with while it can read. */
    static final int CLIENT_READ = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;

    private EpollFlags() {
    }

    /** {@code EPOLLIN|EPOLLRDHUP|EPOLLONESHOT}, for logs and the startup line. */
    static String describe(int flags) {
        StringJoiner names = new StringJoiner("|");
        if ((flags & EPOLLIN) != 0) {
            names.add("EPOLLIN");
        }
        if ((flags & EPOLLOUT) != 0) {
            names.add("EPOLLOUT");
        }
        if ((flags & EPOLLERR) != 0) {
            names.add("EPOLLERR");
        }
        if ((flags & EPOLLHUP) != 0) {
            names.add("EPOLLHUP");
        }
        if ((flags & EPOLLRDHUP) != 0) {
            names.add("EPOLLRDHUP");
        }
        if ((flags & EPOLLONESHOT) != 0) {
            names.add("EPOLLONESHOT");
        }
        return names.toString();
    }
}
