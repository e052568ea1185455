package lab.epoll.rawepoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import lab.epoll.common.cli.RecvAllocatorSpec;
import org.junit.jupiter.api.Test;

/**
 * The raw loops say they size reads "like Netty": this holds them to it. The same bursts go through a
 * {@link ReadSizer} and through a handle of Netty's {@link AdaptiveRecvByteBufAllocator} driven the way
 * Netty's epoll stream channel drives it (reset, then guess / attempted / lastBytesRead per read until one comes
 * back short of the guess or empty, then readComplete); every read must ask for the same size.
 */
@SuppressWarnings("deprecation") // Netty's plain Handle, the one ReadSizer drives
class ReadSizerTest {

    @Test
    void adaptiveAsksForTheSameSizesAsNettysOwnHandle() {
        // Bytes waiting in the socket at each readiness event: small echoes, a bulk burst, quiet again.
        int[] bursts = {128, 100, 100, 100, 100, 5000, 70_000, 200_000, 64, 64, 64, 64, 64, 64, 64, 64, 3000, 10};

        List<Integer> ours = sizesAsked(bursts, new Reads() {
            final ReadSizer sizer = new ReadSizer(RecvAllocatorSpec.ADAPTIVE);

            public void starts() {
                sizer.eventStarts();
            }

            public int next() {
                return sizer.next();
            }

            public void read(int n) {
                sizer.read(n);
            }

            public void ends() {
                sizer.eventEnds();
            }
        });
        List<Integer> netty = sizesAsked(bursts, new Reads() {
            final RecvByteBufAllocator.Handle handle = new AdaptiveRecvByteBufAllocator().newHandle();

            @SuppressWarnings("deprecation")
            public void starts() {
                handle.reset(null);
            }

            public int next() {
                int size = handle.guess();
                handle.attemptedBytesRead(size);
                return size;
            }

            public void read(int n) {
                handle.lastBytesRead(n);
            }

            public void ends() {
                handle.readComplete();
            }
        });

        assertThat(ours).isEqualTo(netty);
    }

    @Test
    void adaptiveTakesNettysStepsNotPlainDoubling() {
        ReadSizer sizer = new ReadSizer(RecvAllocatorSpec.ADAPTIVE);
        assertThat(event(sizer, 2048))
                .as("the first read asks for Netty's initial 2 KiB")
                .isEqualTo(2048);
        // A read that filled the buffer jumps four entries up the size table: 2K -> 4K -> 8K -> 16K -> 32K.
        assertThat(sizer.next()).isEqualTo(32 * 1024);

        ReadSizer shrinking = new ReadSizer(RecvAllocatorSpec.ADAPTIVE);
        event(shrinking, 100);
        assertThat(shrinking.next())
                .as("one small event is not enough to shrink")
                .isEqualTo(2048);
        event(shrinking, 100);
        assertThat(shrinking.next())
                .as("the second in a row steps down one entry")
                .isEqualTo(1024);
    }

    @Test
    void fixedAlwaysAsksForItsSize() {
        ReadSizer sizer = new ReadSizer(RecvAllocatorSpec.fixed(4096));
        for (int burst : new int[] {10, 4096, 100_000, 1}) {
            assertThat(event(sizer, burst)).isEqualTo(4096);
        }
    }

    /** One event with {@code waiting} bytes, read until empty; returns the size the first read asked for. */
    private static int event(ReadSizer sizer, int waiting) {
        List<Integer> asked = sizesAsked(new int[] {waiting}, new Reads() {
            public void starts() {
                sizer.eventStarts();
            }

            public int next() {
                return sizer.next();
            }

            public void read(int n) {
                sizer.read(n);
            }

            public void ends() {
                sizer.eventEnds();
            }
        });
        return asked.get(0);
    }

    /** Plays the bursts: each event reads until a read comes back short (the socket is empty). */
    private static List<Integer> sizesAsked(int[] bursts, Reads reads) {
        List<Integer> asked = new ArrayList<>();
        for (int waiting : bursts) {
            reads.starts();
            int left = waiting;
            for (; ; ) {
                int size = reads.next();
                asked.add(size);
                int n = Math.min(size, left);
                left -= n;
                reads.read(n);
                if (n < size) {
                    break;
                }
            }
            reads.ends();
        }
        return asked;
    }

    private interface Reads {
        void starts();

        int next();

        void read(int bytes);

        void ends();
    }
}
