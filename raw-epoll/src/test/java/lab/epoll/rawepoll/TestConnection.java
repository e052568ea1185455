package lab.epoll.rawepoll;

/** A connection as the table and the admission see it, with no echo behind it: what these tests file and end. */
record TestConnection(int fd, String name, long lastActivityNanos) implements EpollConnection {
    @Override
    public long bytesIn() {
        return 0;
    }

    @Override
    public long bytesOut() {
        return 0;
    }
}
