package lab.epoll.common.server;

/**
 * The part of an I/O error a person needs. Netty's native errors read
 * {@code accept(..) failed with error(-24): Too many open files}; the errno text at the end is the news, the call
 * and number are noise in a one-line message that already says what was being done.
 */
public final class ErrorText {
    private ErrorText() {
    }

    public static String of(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.replaceFirst("^.*failed( with error\\(-?\\d+\\))?: ", "");
    }
}
