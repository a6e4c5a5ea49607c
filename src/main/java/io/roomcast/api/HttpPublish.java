package io.roomcast.api;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.JsonText;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Accepted;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomId;
import io.roomcast.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A publish over HTTP, the same for every resource that offers one (the publish API, the admin
 * console's system message): the body is read by {@link JsonText}, refusals are answered by
 * {@link ErrorResponses}, and no request thread waits for the bus.
 */
@ApplicationScoped
public class HttpPublish {

    @Inject
    RoomRegistry rooms;

    @Inject
    RoomcastConfig config;

    @Inject
    RoomcastMetrics metrics;

    /**
     * Publishes {@code body}, exactly one JSON value, to {@code room} as {@code caller}.
     * Completes with {@code 202 {"id","offset"}} ({@code offset} only with history on; plus
     * {@code "duplicate":true} and the first message's id and offset when {@code key} repeats one
     * the room has) once the bus accepted the message, or with the contract error (400 for a bad
     * room, body or key, 403, 421, 503...); never fails. A 503 is ambiguous: the message may or may
     * not have been stored, and a retry with the same key is safe.
     *
     * @param publisherKey identifies the publisher whose messages must stay in order
     * @param key          the {@code Idempotency-Key} header, or null
     */
    public CompletionStage<Response> publish(Caller caller, String publisherKey, String room, String body, String key) {
        CompletionStage<Accepted> accepted;
        try {
            RoomId.require(room); // a bad room is named before a bad body
            accepted = rooms.publish(caller, publisherKey, room, parse(body), key);
        } catch (ProtocolException refusal) {
            return CompletableFuture.completedFuture(ErrorResponses.of(refusal));
        }
        return accepted.handle((message, failure) -> {
            if (failure == null) {
                return Response.accepted(answer(message)).build();
            }
            ProtocolException refusal = ProtocolException.of(failure);
            if (refusal.code() == ErrorCode.UNAVAILABLE) {
                metrics.busPublishFailed();
            }
            return ErrorResponses.of(refusal);
        });
    }

    /** The 202 body: the same fields as the WebSocket {@code ack}, without {@code type} and {@code ref}. */
    private static String answer(Accepted message) {
        JsonObjectBuilder answer = Json.createObjectBuilder().add("id", message.id());
        if (message.offset() > 0) { // history on: the message's offset (contract section 7)
            answer.add("offset", message.offset());
        }
        if (message.duplicate()) {
            answer.add("duplicate", true);
        }
        return answer.build().toString();
    }

    /** Exactly one JSON value (object, array, string, number, true, false or null). */
    private JsonValue parse(String body) {
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > config.maxMessageBytes()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "The body must be a JSON value of at most " + config.maxMessageBytes() + " bytes");
        }
        if (body.isBlank()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "The body must be a JSON value; it is empty");
        }
        return JsonText.parseOne(body, "body");
    }
}
