package lab.epoll.catalog;

import java.util.StringJoiner;

/**
 * The {@code epoll_event.events} bits, with their values from the Linux UAPI header {@code <linux/eventpoll.h>}
 * (the same on every architecture). The kernel ONESHOT engine registers with them and the tests read them back
 * from {@code /proc/PID/fdinfo}, so both spell a flag the same way.
 */
public final class EpollFlags {
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    /** Linux 4.5: of several epoll sets watching one fd, an event wakes one waiter (or more), not all. */
    public static final int EPOLLEXCLUSIVE = 1 << 28;

    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    private EpollFlags() {}

    /** Whether {@code mask} (as fdinfo prints it, an unsigned 32-bit number) has {@code flag}. */
    public static boolean has(long mask, int flag) {
        return (mask & Integer.toUnsignedLong(flag)) != 0;
    }

    /** {@code EPOLLIN|EPOLLRDHUP|EPOLLONESHOT}, for logs and the startup line. */
    public static String describe(long mask) {
        StringJoiner names = new StringJoiner("|");
        String[] labels = {
            "EPOLLIN", "EPOLLOUT", "EPOLLERR", "EPOLLHUP", "EPOLLRDHUP", "EPOLLEXCLUSIVE", "EPOLLONESHOT", "EPOLLET"
        };
        int[] flags = {EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP, EPOLLEXCLUSIVE, EPOLLONESHOT, EPOLLET};
        for (int i = 0; i < flags.length; i++) {
            if (has(mask, flags[i])) {
                names.add(labels[i]);
            }
        }
        return names.toString();
    }
}
