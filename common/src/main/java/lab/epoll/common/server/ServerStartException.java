package lab.epoll.common.server;

/**
 * A server could not start for a reason the user can act on (port in use, permission denied, epoll
 * unavailable). Its message is printed as one line and the process exits with code 1; no stack trace.
 */
public final class ServerStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public ServerStartException(String message) {
        super(message);
    }

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
