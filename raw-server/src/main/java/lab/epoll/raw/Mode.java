package lab.epoll.raw;

import static lab.epoll.catalog.EpollFlags.EPOLLET;

/**
 * The exercise's two recipes. What differs is only how much one readiness event may be trusted to say:
 * <ul>
 *   <li>{@code lt}, level-triggered: {@code epoll_wait} reports an fd for as long as it is ready, so one
 *       {@code accept} or one {@code read} per event is enough; whatever is left is reported by the next wait;</li>
 *   <li>{@code et}, edge-triggered ({@code EPOLLET}): an fd is reported once per change, so each event must be
 *       drained: {@code accept} and {@code read} until {@code EAGAIN}, or what is left waits for the next change
 *       that may never come. The last read of every event is the {@code EAGAIN} one.</li>
 * </ul>
 * Both write what the socket takes at once and keep the rest, with {@code EPOLLOUT} armed only while bytes wait.
 */
public enum Mode {
    lt(0, false),
    et(EPOLLET, true);

    /** The recipe's accepts per listener event: one in lt, until EAGAIN (0) in et. */
    int acceptBatch() {
        return drainEachEvent ? 0 : 1;
    }

    private final int triggerFlag;
    private final boolean drainEachEvent;

    Mode(int triggerFlag, boolean drainEachEvent) {
        this.triggerFlag = triggerFlag;
        this.drainEachEvent = drainEachEvent;
    }

    /** {@code EPOLLET} or nothing, added to every registration. */
    int triggerFlag() {
        return triggerFlag;
    }

    /** Whether one event means "accept / read until EAGAIN" (et) rather than "once" (lt). */
    boolean drainsEachEvent() {
        return drainEachEvent;
    }
}
