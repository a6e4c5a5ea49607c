package io.roomcast.security;

/**
 * A request without a valid identity. The message says why in terms safe to show the caller
 * and to log: it never contains the token or header values.
 */
public class NotAuthenticatedException extends Exception {

    private static final long serialVersionUID = 1L;

    public NotAuthenticatedException(String message) {
        super(message, null, false, false);
    }
}
