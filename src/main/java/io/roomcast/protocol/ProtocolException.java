package io.roomcast.protocol;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.concurrent.CompletionException;

/**
 * A request the server refuses with a contract error code. Thrown by validation and room
 * rules, turned into an {@code error} frame (or an HTTP 4xx/503) at the edge.
 */
public class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient JsonObject details;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, JsonValue.EMPTY_JSON_OBJECT);
    }

    /** @param details extra fields the error carries on the wire (e.g. {@code shard} and {@code url}) */
    public ProtocolException(ErrorCode code, String message, JsonObject details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
    }

    /**
     * The refusal behind an asynchronous failure: the {@code ProtocolException} itself (also
     * when wrapped in a {@code CompletionException}), else {@code unavailable} — the only way
     * an accepted publish can fail later is the bus not taking it.
     */
    public static ProtocolException of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProtocolException refusal) {
            return refusal;
        }
        return new ProtocolException(ErrorCode.UNAVAILABLE,
                "Message bus unavailable (a publish may or may not have been stored; retrying it with the same key is safe): "
                        + cause.getMessage());
    }

    public ErrorCode code() {
        return code;
    }

    /** Extra fields for the error frame or body, next to {@code code} and {@code message}. */
    public JsonObject details() {
        return details;
    }
}
