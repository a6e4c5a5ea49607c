package io.roomcast.bus;

/**
 * The bus cannot take the request now (e.g. Redis is down) or could not confirm it: a publish
 * that fails with it may or may not have been stored and delivered (Redis may have run it before
 * the connection failed), so callers must not promise "not delivered".
 */
public class BusUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BusUnavailableException(String message) {
        super(message);
    }
}
