package lab.epoll.jmh.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop echo client: each of C connections sends one payload, waits for all of it to come back, records
 * the round trip and sends again. One Netty epoll event loop drives every connection by default, so even a
 * thousand connections cost the client one thread, and nothing else is in the request path: the loop counts
 * completed echoes itself ({@link #completed()}) and the benchmark thread only reads the count now and then, so
 * no thread is woken per echo. For a server one loop cannot saturate, several loops share the connections
 * (round robin), each with its own count and histogram ({@link LoopLatencies}), merged when read.
 *
 * <p>Between iterations the load is {@link #pause() paused}: connections finish what is in flight and park.
 */
public final class EchoLoad implements ClientLoad {
    private static final int MIN_READ = 64;
    private static final int MAX_READ = 64 * 1024;
    private static final long FIRST_ECHO_SECONDS = 60;
    private static final long BURST_SECONDS = 300;

    private final EventLoopGroup group;
    /** The bytes every request sends, released when the load closes. */
    private final ByteBuf payloadBytes;
    /** The same bytes as the connections see them: writes cannot release them while the load runs. */
    private final ByteBuf payload;

    private final int payloadLength;
    /** Each loop's echoes completed since the load was created, written by that loop's thread only. */
    private final List<AtomicLong> completed = new ArrayList<>();

    private final LoopLatencies latencies;
    /** Which loop of {@link #group} is which, for its count and its histogram. */
    private final Map<EventExecutor, Integer> loopIndex = new IdentityHashMap<>();

    private final List<Channel> active = new ArrayList<>();
    private final List<Channel> idle = new ArrayList<>();
    private volatile boolean running;
    private final StallWatch stallWatch = new StallWatch(this::completed, () -> running);

    public EchoLoad(int payloadLength) {
        this(payloadLength, 1);
    }

    /** A load of {@code loops} event loops, each driving its share of the connections. */
    public EchoLoad(int payloadLength, int loops) {
        this.group = new EpollEventLoopGroup(loops, new DefaultThreadFactory("echo-load", true));
        this.latencies = new LoopLatencies(loops);
        for (EventExecutor loop : group) {
            loopIndex.put(loop, loopIndex.size());
            completed.add(new AtomicLong());
        }
        this.payloadLength = payloadLength;
        byte[] bytes = new byte[payloadLength];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        this.payloadBytes = Unpooled.directBuffer(payloadLength).writeBytes(bytes);
        this.payload = Unpooled.unreleasableBuffer(payloadBytes);
    }

    /**
     * Opens {@code count} connections that take part in the closed loop, and returns once each has had one echo
     * back. A completed connect only means the kernel finished the handshake; the server may not have accepted
     * the socket yet, nor started the event loop thread that will serve it. A measurement started before that
     * would miss the thread (perf counts the threads that exist when it attaches) and count the accept.
     */
    public void connectActive(InetSocketAddress server, int count) throws InterruptedException {
        List<Channel> channels = connect(server, count, true);
        active.addAll(channels);
        CountDownLatch echoed = new CountDownLatch(channels.size());
        for (Channel channel : channels) {
            RoundTrip trip = channel.pipeline().get(RoundTrip.class);
            channel.eventLoop().execute(() -> trip.sendOnce(echoed));
        }
        if (!echoed.await(FIRST_ECHO_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(echoed.getCount() + " of " + channels.size()
                    + " connections had no echo back within " + FIRST_ECHO_SECONDS + " s of connecting");
        }
    }

    /** Opens {@code count} connections that never send: they only occupy the server's fd table and epoll set. */
    public void connectIdle(InetSocketAddress server, int count) throws InterruptedException {
        idle.addAll(connect(server, count, false));
    }

    /**
     * The epoll exercise's client: {@code connections} connections, each connecting, sending {@code requests}
     * payloads one after another (each waits for its echo) and closing; returns once all have closed. Connection
     * setup is part of the work: connects go out in waves of 500 while earlier connections already echo. Round
     * trips and echoes count like the closed loop's.
     */
    public void burst(InetSocketAddress server, int connections, int requests) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(connections);
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Bootstrap bootstrap = bootstrap(() -> new RoundTrip(requests, closed, failed));
        for (int start = 0; start < connections; start += 500) {
            List<ChannelFuture> wave = new ArrayList<>();
            for (int i = start; i < Math.min(connections, start + 500); i++) {
                wave.add(bootstrap.connect(server));
            }
            for (ChannelFuture future : wave) {
                if (!future.await().isSuccess()) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, future.cause());
                    closed.countDown(); // never active, so its handler will not count it
                }
            }
        }
        if (!closed.await(BURST_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(closed.getCount() + " of " + connections + " connections were still open "
                    + BURST_SECONDS + " s after the burst began");
        }
        if (failed.get() > 0) {
            Throwable cause = firstFailure.get();
            throw new IllegalStateException(failed.get() + " of " + connections + " connections failed before their "
                    + requests + " echoes" + (cause == null ? "" : ", first: " + cause.getMessage()));
        }
    }

    private List<Channel> connect(InetSocketAddress server, int count, boolean echoing) throws InterruptedException {
        Bootstrap bootstrap = bootstrap(() -> echoing ? new RoundTrip() : new Discard());
        List<Channel> channels = new ArrayList<>(count);
        // In batches: a burst of ten thousand SYNs would overflow the server's accept backlog.
        for (int start = 0; start < count; start += 500) {
            List<ChannelFuture> batch = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + 500); i++) {
                batch.add(bootstrap.connect(server));
            }
            for (ChannelFuture future : batch) {
                channels.add(future.sync().channel());
            }
        }
        return channels;
    }

    private Bootstrap bootstrap(Supplier<ChannelHandler> handler) {
        return new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                // A buffer larger than the echo (up to 64 KiB): one short read takes it all, and a short read
                // tells Netty the socket is drained, so no read is spent learning it is empty.
                .option(
                        ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(
                                Math.min(MAX_READ, Math.max(MIN_READ, Integer.highestOneBit(payloadLength) << 1))))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler.get());
                    }
                });
    }

    /** Starts (or restarts) the closed loop: every parked connection sends its next payload. */
    @Override
    public void resume() {
        running = true;
        for (Channel channel : active) {
            RoundTrip trip = channel.pipeline().get(RoundTrip.class);
            channel.eventLoop().execute(trip::sendIfParked);
        }
    }

    /** Lets in-flight payloads finish, then parks every connection. */
    @Override
    public void pause() {
        running = false;
    }

    /** Echoes completed so far, in full. */
    @Override
    public long completed() {
        long sum = 0;
        for (AtomicLong loop : completed) {
            sum += loop.get();
        }
        return sum;
    }

    /**
     * Sleeps {@code millis} and returns {@link #completed()}; fails when no echo at all completed for 30 s, so a
     * server that stopped serving ends the trial instead of hanging it.
     */
    @Override
    public long sleepAndCount(long millis) throws InterruptedException {
        return stallWatch.sleepAndCount(millis);
    }

    /** Round trips recorded since the last call by every loop, merged, in nanoseconds. */
    @Override
    public Histogram takeLatencies() {
        return latencies.takeMerged();
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    /** Closes every connection and the client's event loop; calling it again does nothing. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        running = false;
        for (Channel channel : active) {
            channel.close().syncUninterruptibly();
        }
        for (Channel channel : idle) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // The loop has ended, so no write holds the bytes any more; unreleased, the leak detector reports them.
        payloadBytes.release();
    }

    /**
     * One connection's loop: send, count the echo back, record, repeat while running; or, for a burst, exactly
     * {@code budget} times from the moment it connects, then close.
     */
    private final class RoundTrip extends ChannelInboundHandlerAdapter {
        /**
         * This connection's view of the shared payload, rewound for each send instead of allocated: the closed
         * loop sends again only after the whole echo came back, so the previous write is long finished with it.
         */
        private final ByteBuf view = payload.duplicate();

        private ChannelHandlerContext ctx;
        /** This connection's loop: where its echoes are counted and its round trips recorded. */
        private int loop;

        private AtomicLong loopCompleted;
        private long sentAt;
        private int received;
        private boolean inFlight;
        /** Counted down when the one echo sent by {@link #sendOnce} is back; null otherwise. */
        private CountDownLatch firstEcho;
        /** A burst connection's echoes still to do; -1 for the closed loop's, which run while the load runs. */
        private int budget;

        private final CountDownLatch closed;
        private final AtomicInteger failed;

        RoundTrip() {
            this(-1, null, null);
        }

        RoundTrip(int budget, CountDownLatch closed, AtomicInteger failed) {
            this.budget = budget;
            this.closed = closed;
            this.failed = failed;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.loop = loopIndex.get(ctx.channel().eventLoop());
            this.loopCompleted = completed.get(loop);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (budget > 0) {
                send();
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (closed != null) {
                if (budget != 0) {
                    failed.incrementAndGet(); // the server closed it (or it broke) before its echoes were done
                }
                closed.countDown();
            }
            ctx.fireChannelInactive();
        }

        void sendIfParked() {
            if (!inFlight && running && ctx.channel().isActive()) {
                send();
            }
        }

        void sendOnce(CountDownLatch echoed) {
            if (ctx.channel().isActive()) {
                firstEcho = echoed;
                send();
            }
        }

        private void send() {
            inFlight = true;
            received = 0;
            sentAt = System.nanoTime();
            ctx.writeAndFlush(view.readerIndex(0), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received += buf.readableBytes();
            buf.release();
            if (received >= payloadLength) {
                latencies.record(loop, System.nanoTime() - sentAt);
                inFlight = false;
                loopCompleted.lazySet(loopCompleted.get() + 1); // one writer: the loop's own thread
                if (firstEcho != null) {
                    firstEcho.countDown();
                    firstEcho = null;
                }
                if (budget > 0 && --budget == 0) {
                    ctx.close();
                } else if (budget > 0 || running) {
                    send();
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Idle connections read nothing they do not get; if the server ever sends, drop it. */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
