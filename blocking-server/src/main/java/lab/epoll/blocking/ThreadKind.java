package lab.epoll.blocking;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import lab.epoll.catalog.ServerOption.Name;
import lab.epoll.common.server.ServerStartException;

/**
 * The threads the server runs each connection on. The code a connection runs is the same on both; what differs
 * is what a blocked read costs. A platform thread blocks in {@code read(2)} and holds its kernel thread and stack
 * while it waits. A virtual thread that would block is unmounted instead: the JDK sets the socket non-blocking,
 * and when {@code read} returns {@code EAGAIN} it registers the fd with its own epoll poller, with
 * {@code EPOLLONESHOT} (JDK 25: {@code sun.nio.ch.EPollPoller.implRegister}), and parks the thread until the
 * poller sees the fd ready.
 */
enum ThreadKind {
    platform,
    virtual;

    /** Virtual threads are final from Java 21 on. */
    static final int VIRTUAL_THREADS_SINCE = 21;

    /** The JDK's property for how many carrier threads run virtual threads; read once, at their first use. */
    static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";

    /** New threads of this kind named {@code prefix-N}; fails with one line when this JDK has no such threads. */
    ThreadFactory factory(String prefix) throws ServerStartException {
        if (this == platform) {
            AtomicLong next = new AtomicLong();
            return task -> new Thread(task, prefix + "-" + next.getAndIncrement());
        }
        return virtualThreadFactory(prefix);
    }

    /**
     * Sets how many carrier threads run the virtual threads, before the first one starts; 0 keeps the JDK's
     * default (one per core).
     */
    static void useCarriers(int carriers) {
        if (carriers > 0) {
            System.setProperty(CARRIERS_PROPERTY, Integer.toString(carriers));
        }
    }

    /**
     * {@code Thread.ofVirtual().name(prefix, 0).factory()}, looked up at run time: the lab builds for Java 17, and
     * the same jar runs this kind on a Java 21+ JVM.
     */
    private static ThreadFactory virtualThreadFactory(String prefix) throws ServerStartException {
        int feature = Runtime.version().feature();
        if (feature < VIRTUAL_THREADS_SINCE) {
            throw new ServerStartException("virtual threads need Java " + VIRTUAL_THREADS_SINCE + " or later; this is "
                    + "Java " + feature + " (" + System.getProperty("java.home") + "): run the jar with a newer "
                    + "java, or " + Name.THREAD_KIND + " platform");
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 0L);
            Method factory = builderType.getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Java " + feature + " has no Thread.ofVirtual()", e);
        }
    }
}
