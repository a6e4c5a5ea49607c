package io.roomcast.api;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one place where a contract error becomes an HTTP response: a JSON body
 * {@code {"code","message",...details}} and the status that says the same thing.
 */
final class ErrorResponses {

    /** Clients should wait about this long before retrying an {@code unavailable}. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private ErrorResponses() {
    }

    static Response of(ProtocolException refusal) {
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("code", refusal.code().wire()).add("message", refusal.getMessage());
        refusal.details().forEach(body::add);
        Response.ResponseBuilder response = Response.status(status(refusal.code()))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString());
        if (refusal.code() == ErrorCode.UNAVAILABLE) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    private static int status(ErrorCode code) {
        return switch (code) {
            case BAD_JSON, BAD_REQUEST, BAD_ROOM, UNKNOWN_TYPE -> 400;
            case FORBIDDEN -> 403;
            case NOT_MEMBER, TOO_MANY_ROOMS -> 409;
            // 421 Misdirected Request: this node does not serve the room; the body names the one that does.
            case WRONG_SHARD -> 421;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }
}
