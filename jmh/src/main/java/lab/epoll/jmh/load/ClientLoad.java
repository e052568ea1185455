package lab.epoll.jmh.load;

import org.HdrHistogram.Histogram;

/**
 * What a trial's client offers the measurement: load that can be paused between iterations, the echoes it
 * completed, and the latencies it recorded. {@link EchoLoad} is the closed loop (each connection waits for its
 * echo before sending again), {@link OpenLoopLoad} the open one (requests leave on a fixed schedule).
 */
public interface ClientLoad extends AutoCloseable {
    /** Starts (or restarts) sending. */
    void resume();

    /** Stops sending; requests in flight still complete and count. */
    void pause();

    /** Echoes completed since the load was created. */
    long completed();

    /**
     * Sleeps {@code millis} and returns {@link #completed()}; fails when no echo at all completed for 30 s while
     * the load ran, so a server that stopped serving ends the trial instead of hanging it.
     */
    long sleepAndCount(long millis) throws InterruptedException;

    /** Latencies recorded since the last call, in nanoseconds. */
    Histogram takeLatencies();

    /** Bytes per request. */
    int payloadLength();

    /** What an open-loop load adds to a measurement; empty for a closed loop. */
    default OpenLoopLoad.Pacing takePacing() {
        return null;
    }

    /** What a newcomer load measured over the window its last pause closed; null for every other load. */
    default NewcomerLoad.Admission takeAdmission() {
        return null;
    }

    @Override
    void close();
}
