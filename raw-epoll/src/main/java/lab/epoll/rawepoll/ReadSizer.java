package lab.epoll.rawepoll;

import io.netty.channel.RecvByteBufAllocator;
import lab.epoll.common.cli.RecvAllocatorSpec;

/**
 * How many bytes the next {@code read(2)} asks for, per connection ({@code --recv-allocator}): Netty's own
 * {@code RecvByteBufAllocator} handle, driven the way Netty's epoll channel drives it, so "adaptive" here is
 * exactly Netty's {@code AdaptiveRecvByteBufAllocator} (its size table, four steps up after a read that filled
 * the buffer, one step down after two events in a row that used less than the step below) and a raw loop
 * reads with the same sizes as the Netty variants it is compared with.
 *
 * <p>Per readiness event: {@link #eventStarts()}, then {@link #next()} and {@link #read(int)} around each
 * {@code read(2)}, then {@link #eventEnds()}.
 */
// RecvByteBufAllocator.Handle is deprecated in favour of ExtendedHandle, which adds only a continue-reading test
// that the raw loops decide for themselves; the plain handle is the sizing this class exists to drive.
@SuppressWarnings("deprecation")
public final class ReadSizer {
    private final RecvByteBufAllocator.Handle handle;
    private int asked;

    public ReadSizer(RecvAllocatorSpec spec) {
        // The reads per event are the loop's own business; the handle only sizes them.
        this.handle = spec.newAllocator(1).newHandle();
    }

    /** A new event's reads begin: the handle forgets the last event's byte count. */
    @SuppressWarnings("deprecation") // Handle.reset is how Netty's channels start each read loop
    public void eventStarts() {
        // The config only feeds continueReading(), which a raw loop decides for itself.
        handle.reset(null);
    }

    /** The size to ask the next {@code read(2)} for. */
    public int next() {
        asked = handle.guess();
        handle.attemptedBytesRead(asked);
        return asked;
    }

    /** What the last {@link #next()} asked for: a read that returned less found the socket empty. */
    public int asked() {
        return asked;
    }

    /** What that {@code read(2)} returned: bytes, 0 for {@code EAGAIN}, -1 for end of stream. */
    public void read(int bytes) {
        handle.lastBytesRead(bytes);
    }

    /** The event's reads are over: an adaptive handle adjusts its next guess to what they added up to. */
    public void eventEnds() {
        handle.readComplete();
    }
}
