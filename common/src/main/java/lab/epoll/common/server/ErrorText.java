package lab.epoll.common.server;

/**
 * The part of an I/O error a person needs. Netty's native errors read
 * {@code accept(..) failed with error(-24): Too many open files}; the errno text at the end is the news, the call
 * and number are noise in a one-line message that already says what was being done.
 */
public final class ErrorText {
    private ErrorText() {}

    public static String of(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.replaceFirst("^.*failed( with error\\(-?\\d+\\))?: ", "");
    }

    /**
     * Why a native transport cannot run, from its {@code unavailabilityCause()}: the innermost cause's message,
     * e.g. the missing library or the kernel's refusal, as {@code NAME is not available: REASON}.
     */
    public static ServerStartException unavailable(String transport, Throwable cause) {
        Throwable root = cause;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root == null
                ? "unknown reason"
                : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new ServerStartException(transport + " is not available: " + reason);
    }
}
