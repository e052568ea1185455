package lab.epoll.oneshot.kernel;

import lab.epoll.common.cli.RecvAllocatorSpec;

/**
 * How many bytes the next {@code read(2)} asks for, per connection ({@code --recv-allocator}): a fixed size, or
 * adaptive like Netty's default: start at 2 KiB, double (up to 64 KiB) after a read that filled the buffer, halve
 * (down to 64 bytes) after two reads in a row that used less than a quarter of it.
 */
final class ReadSizer {
    static final int MIN = 64;
    static final int INITIAL = 2048;
    static final int MAX = 64 * 1024;

    private final boolean adaptive;
    private int size;
    private int smallReads;

    ReadSizer(RecvAllocatorSpec spec) {
        this.adaptive = spec.isAdaptive();
        this.size = adaptive ? INITIAL : fixedSize(spec);
    }

    private static int fixedSize(RecvAllocatorSpec spec) {
        // RecvAllocatorSpec keeps its size private; its newAllocator() is the public way to learn it.
        return spec.newAllocator(1).newHandle().guess();
    }

    int next() {
        return size;
    }

    void record(int bytesRead) {
        if (!adaptive) {
            return;
        }
        if (bytesRead >= size) {
            smallReads = 0;
            size = Math.min(MAX, size << 1);
        } else if (bytesRead <= size >>> 2) {
            if (++smallReads >= 2) {
                smallReads = 0;
                size = Math.max(MIN, size >>> 1);
            }
        } else {
            smallReads = 0;
        }
    }
}
