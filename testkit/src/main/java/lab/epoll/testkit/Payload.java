package lab.epoll.testkit;

import java.util.zip.CRC32;

/**
 * An endless, reproducible byte stream for echo tests: the byte at each position is a function of the seed and
 * the position only, so a reader can check what comes back at any offset without keeping a copy of what was
 * sent, and two connections with different seeds cannot pass for each other. Each 8-byte block is one round of
 * SplitMix64 of (seed, block number), which is fast and has no short period a buffer size could line up with.
 */
public final class Payload {
    private final long seed;

    public Payload(long seed) {
        this.seed = seed;
    }

    /** Fills {@code dst[off, off+len)} with the stream's bytes from {@code position} on. */
    public void fill(byte[] dst, int off, int len, long position) {
        int i = 0;
        while (i < len) {
            long p = position + i;
            long block = mix(seed, p >>> 3);
            int shift = (int) (p & 7);
            int n = Math.min(8 - shift, len - i);
            for (int k = 0; k < n; k++) {
                dst[off + i + k] = (byte) (block >>> ((shift + k) << 3));
            }
            i += n;
        }
    }

    /** The stream's {@code length} bytes from {@code position} on. */
    public byte[] bytes(long position, int length) {
        byte[] data = new byte[length];
        fill(data, 0, length, position);
        return data;
    }

    /** CRC32 of the stream's first {@code length} bytes, for comparing with what a test received. */
    public long crc32(long length) {
        CRC32 crc = new CRC32();
        byte[] chunk = new byte[64 * 1024];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(chunk.length, length - done);
            fill(chunk, 0, n, done);
            crc.update(chunk, 0, n);
            done += n;
        }
        return crc.getValue();
    }

    /** A checker for the bytes that come back: feed it what was read, in order. */
    public Verifier verifier() {
        return new Verifier(this);
    }

    private static long mix(long seed, long block) {
        long z = seed + (block + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Compares received bytes with the stream, position by position, and keeps a CRC32 of them. Remembers the
     * first position that differed, which says far more about a bug (a lost read, a repeated buffer) than a
     * checksum mismatch alone.
     */
    public static final class Verifier {
        private final Payload payload;
        private final CRC32 crc = new CRC32();
        private byte[] expected = new byte[0];
        private long position;
        private long firstMismatch = -1;

        private Verifier(Payload payload) {
            this.payload = payload;
        }

        public void update(byte[] data, int off, int len) {
            if (expected.length < len) {
                expected = new byte[len];
            }
            if (firstMismatch < 0) {
                payload.fill(expected, 0, len, position);
                int mismatch = java.util.Arrays.mismatch(data, off, off + len, expected, 0, len);
                if (mismatch >= 0) {
                    firstMismatch = position + mismatch;
                }
            }
            crc.update(data, off, len);
            position += len;
        }

        /** Bytes checked so far. */
        public long position() {
            return position;
        }

        /** The first position whose byte differed from the stream, or -1 if none did. */
        public long firstMismatch() {
            return firstMismatch;
        }

        public long crc32() {
            return crc.getValue();
        }
    }
}
