package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLEXCLUSIVE;

/**
 * How {@code --threads} loops, each with its own epoll set and its own connections, share the work of accepting.
 * A connection stays on the loop that accepted it (or was handed it) for life, as in Netty.
 * <ul>
 *   <li>{@code herd}: the one listening socket is registered in every loop's set. The socket's wait queue then
 *       holds one entry per set, and a new connection runs every entry's callback: every set becomes ready and
 *       every waiting loop wakes; one accepts it, the others find the queue empty ({@code EAGAIN}) or, in
 *       level-triggered mode, nothing left to report;</li>
 *   <li>{@code exclusive}: the same, registered with {@code EPOLLEXCLUSIVE} (Linux 4.5), which makes those entries
 *       exclusive waiters: the kernel wakes the first of them whose set has a thread waiting, and stops there;</li>
 *   <li>{@code reuseport}: one listening socket per loop, all bound to the same port with {@code SO_REUSEPORT};
 *       the kernel picks a socket for each new connection by a hash of its addresses, whether or not that
 *       socket's loop is busy;</li>
 *   <li>{@code acceptor}: one more thread alone watches the listener, accepts, and hands each connection to the
 *       next loop in turn (a queue and an eventfd write): a hand-off per connection, as in Netty's boss group.</li>
 * </ul>
 * One epoll set shared by all the threads is the other way to spread work, and needs {@code EPOLLONESHOT} on
 * every socket so that two threads never hold one connection: that is the kernel ONESHOT engine
 * ({@code oneshot-server --engine kernel --workers N}).
 */
public enum AcceptStrategy {
    herd(0, false, false),
    exclusive(EPOLLEXCLUSIVE, false, false),
    reuseport(0, true, false),
    acceptor(0, false, true);

    private final int listenerFlag;
    private final boolean listenerPerLoop;
    private final boolean handsOff;

    AcceptStrategy(int listenerFlag, boolean listenerPerLoop, boolean handsOff) {
        this.listenerFlag = listenerFlag;
        this.listenerPerLoop = listenerPerLoop;
        this.handsOff = handsOff;
    }

    /** What the listener's registration adds to the mode's flags: {@code EPOLLEXCLUSIVE} or nothing. */
    int listenerFlag() {
        return listenerFlag;
    }

    /** Whether each loop gets a listening socket of its own ({@code SO_REUSEPORT}) rather than sharing them all. */
    boolean listenerPerLoop() {
        return listenerPerLoop;
    }

    /** Whether a thread of its own accepts and hands connections to the loops, which then watch no listener. */
    boolean handsOff() {
        return handsOff;
    }
}
