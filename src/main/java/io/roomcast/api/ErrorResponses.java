package io.roomcast.api;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one place where an error becomes an HTTP response: a JSON body
 * {@code {"code","message",...details}} and, for a contract error, the status that says the same
 * thing. Every resource answers its errors through here.
 */
public final class ErrorResponses {

    /** Clients should wait about this long before retrying an {@code unavailable}. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private ErrorResponses() {
    }

    /** A contract error, with its status (and {@code Retry-After} for {@code unavailable}). */
    public static Response of(ProtocolException refusal) {
        JsonObjectBuilder body = bodyBuilder(refusal.code().wire(), refusal.getMessage());
        refusal.details().forEach(body::add);
        Response.ResponseBuilder response = Response.status(status(refusal.code()))
                .type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString());
        if (refusal.code() == ErrorCode.UNAVAILABLE) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    /**
     * An error of the HTTP API outside the WebSocket contract's codes (e.g. {@code not_found},
     * {@code node_unreachable}), in the same body shape.
     */
    public static Response of(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body(code, message)).build();
    }

    /** The error body alone, {@code {"code","message"}}, for answers built elsewhere. */
    public static String body(String code, String message) {
        return bodyBuilder(code, message).build().toString();
    }

    private static JsonObjectBuilder bodyBuilder(String code, String message) {
        return Json.createObjectBuilder().add("code", code).add("message", message);
    }

    private static int status(ErrorCode code) {
        return switch (code) {
            case BAD_JSON, BAD_REQUEST, BAD_ROOM, UNKNOWN_TYPE -> 400;
            // Not raised over HTTP (a request with a bad token never reaches a resource); mapped for completeness.
            case BAD_TOKEN -> 401;
            case FORBIDDEN -> 403;
            case NOT_MEMBER, TOO_MANY_ROOMS -> 409;
            // 421 Misdirected Request: this node does not serve the room; the body names the one that does.
            case WRONG_SHARD -> 421;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }
}
