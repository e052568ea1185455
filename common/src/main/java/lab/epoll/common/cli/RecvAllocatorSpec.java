package lab.epoll.common.cli;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How big a buffer each {@code read(2)} gets: {@code adaptive} (Netty's default, grows and shrinks with what
 * recent reads returned) or {@code fixed:SIZE} (always SIZE bytes). This decides how many reads a burst
 * takes, which is one of the things that differs between level- and edge-triggered reading.
 */
public final class RecvAllocatorSpec {
    public static final RecvAllocatorSpec ADAPTIVE = new RecvAllocatorSpec(0);

    private final int fixedSize;

    private RecvAllocatorSpec(int fixedSize) {
        this.fixedSize = fixedSize;
    }

    public static RecvAllocatorSpec fixed(int size) {
        return new RecvAllocatorSpec(size);
    }

    public boolean isAdaptive() {
        return fixedSize == 0;
    }

    public MaxMessagesRecvByteBufAllocator newAllocator(int maxMessagesPerRead) {
        MaxMessagesRecvByteBufAllocator allocator =
                isAdaptive() ? new AdaptiveRecvByteBufAllocator() : new FixedRecvByteBufAllocator(fixedSize);
        return allocator.maxMessagesPerRead(maxMessagesPerRead);
    }

    @Override
    public String toString() {
        return isAdaptive() ? "adaptive" : "fixed:" + ByteSizeConverter.format(fixedSize);
    }

    /** Picocli converter for {@code adaptive} and {@code fixed:SIZE}. */
    public static final class Converter implements ITypeConverter<RecvAllocatorSpec> {
        @Override
        public RecvAllocatorSpec convert(String value) {
            if ("adaptive".equals(value)) {
                return ADAPTIVE;
            }
            if (value.startsWith("fixed:")) {
                int size = new ByteSizeConverter().convert(value.substring("fixed:".length()));
                if (size < 64) {
                    throw new TypeConversionException("'" + value + "': a fixed buffer needs at least 64 bytes");
                }
                return fixed(size);
            }
            throw new TypeConversionException(
                    "'" + value + "' is neither 'adaptive' nor 'fixed:SIZE' (e.g. fixed:16k)");
        }
    }
}
