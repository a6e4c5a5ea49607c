package io.roomcast.bus;

/** The bus cannot take the request now (e.g. Redis is down); nothing was delivered. */
public class BusUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public BusUnavailableException(String message) {
        super(message);
    }
}
