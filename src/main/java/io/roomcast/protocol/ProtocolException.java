package io.roomcast.protocol;

/**
 * A request the server refuses with a contract error code. Thrown by validation and room
 * rules, turned into an {@code error} frame (or an HTTP 4xx/503) at the edge.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
