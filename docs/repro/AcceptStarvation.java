import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.*;
import io.netty.channel.epoll.*;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.Version;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.util.*;

/**
 * Netty's stock accept in level-triggered epoll takes one connection per epoll_wait: on a saturated event loop
 * new clients wait in the kernel's accept queue. Plain Netty, one event loop, default options; run it on one
 * CPU so the loop is saturated: taskset -c 0 java -cp 'netty jars' AcceptStarvation.java lt|et BUSY [BATCH]
 * BATCH > 1 gives the listener a ServerChannelRecvByteBufAllocator that keeps accepting up to BATCH.
 */
public class AcceptStarvation {
    public static void main(String[] args) throws Exception {
        EpollMode mode = args[0].equals("lt") ? EpollMode.LEVEL_TRIGGERED : EpollMode.EDGE_TRIGGERED;
        int busy = Integer.parseInt(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(EpollChannelOption.EPOLL_MODE, mode).childOption(EpollChannelOption.EPOLL_MODE, mode)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            public void channelRead(ChannelHandlerContext ctx, Object msg) { ctx.write(msg); }
                            public void channelReadComplete(ChannelHandlerContext ctx) { ctx.flush(); }
                        });
                    }
                });
        if (batch > 1) {
            b.option(ChannelOption.RCVBUF_ALLOCATOR,
                    new ServerChannelRecvByteBufAllocator().respectMaybeMoreData(false).maxMessagesPerRead(batch));
        }
        InetSocketAddress addr = (InetSocketAddress) b.bind("127.0.0.1", 0).sync().channel().localAddress();

        // Busy connections: a closed loop of 64-byte echoes, all on one selector thread.
        Selector busySel = Selector.open();
        for (int i = 0; i < busy; i++) {
            java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(addr);
            c.configureBlocking(false).register(busySel, SelectionKey.OP_READ);
            c.write(ByteBuffer.allocate(64));
        }
        Thread loop = new Thread(() -> {
            ByteBuffer in = ByteBuffer.allocate(65536);
            try {
                while (true) {
                    busySel.select(k -> {
                        try {
                            java.nio.channels.SocketChannel c = (java.nio.channels.SocketChannel) k.channel();
                            int n = c.read(in.clear());
                            for (int echoes = n / 64; echoes > 0; echoes--) c.write(ByteBuffer.allocate(64));
                        } catch (Exception e) { k.cancel(); }
                    });
                }
            } catch (Exception e) { }
        });
        loop.setDaemon(true);
        loop.start();
        Thread.sleep(2000);

        // Newcomers: 200 a second for 5 s, each connects, sends 64 bytes and times its echo (5 s at most).
        List<Long> waits = new ArrayList<>();
        int unanswered;
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            long due = start + i * 5_000_000L;
            while (System.nanoTime() < due) Thread.onSpinWait();
            Thread t = new Thread(() -> {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(addr, 5000);
                    s.setSoTimeout((int) Math.max(1, 5000 - (System.nanoTime() - due) / 1_000_000));
                    s.getOutputStream().write(new byte[64]);
                    s.getInputStream().readNBytes(64);
                    synchronized (waits) { waits.add(System.nanoTime() - due); }
                } catch (Exception timedOut) { }
            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) t.join();
        Collections.sort(waits);
        unanswered = 1000 - waits.size();
        String netty = Version.identify().get("netty-transport").artifactVersion();
        System.out.printf("Netty %s %s, %d busy, accept batch %d: %d of 1000 newcomers unanswered after 5 s;"
                + " wait p50 %s, p99 %s (unanswered count as more than 5 s)%n", netty,
                netty.startsWith("4.1") ? mode : "epoll (level-triggered only)", busy, batch, unanswered,
                at(waits, 500), at(waits, 990));
        System.exit(0);
    }

    private static String at(List<Long> sortedWaits, int rank) {
        return rank < sortedWaits.size() ? sortedWaits.get(rank) / 1_000_000 + " ms" : "> 5 s";
    }
}
