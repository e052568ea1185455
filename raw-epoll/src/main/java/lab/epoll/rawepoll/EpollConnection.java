package lab.epoll.rawepoll;

/**
 * A client connection of an engine built on these parts, as its {@link ConnectionTable} and {@link Admission} see
 * it: the fd it is filed under, the name the logs give it, and what its end and the idle sweep read.
 */
public interface EpollConnection {
    int fd();

    /** As {@link Listener#acceptedName} gave it, e.g. {@code fd=16 (127.0.0.1:38402)}. */
    String name();

    /** When it last moved enough bytes to count as busy ({@code --min-progress}): {@link System#nanoTime()}. */
    long lastActivityNanos();

    long bytesIn();

    long bytesOut();
}
