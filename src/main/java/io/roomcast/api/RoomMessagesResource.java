package io.roomcast.api;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.JsonText;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomId;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.Identity;
import io.roomcast.security.PublisherOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/rooms/{room}/messages}: a backend service publishes to a room through any
 * node. The body is any JSON value, delivered as {@code data}; {@code from} is the caller's
 * name (the identity the publisher role filter established, whose groups also decide room
 * access), or {@code server} without authentication. Answers 202 {@code {"id","offset"}} once the
 * bus accepted the message ({@code offset} only with history on). One caller's sequential requests to one room keep their order.
 */
@ApplicationScoped
@Path("rooms/{room}/messages")
public class RoomMessagesResource {

    static final String ANONYMOUS_PUBLISHER = "server";

    @Inject
    RoomRegistry rooms;

    @Inject
    RoomcastConfig config;

    @Inject
    RoomcastMetrics metrics;

    @POST
    @PublisherOnly
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> publish(@PathParam("room") String room, String body,
                                             @Context HttpServletRequest request) {
        RoomId.require(room);
        JsonValue data = parse(body);
        Identity identity = request.getAttribute(Identity.REQUEST_PROPERTY) instanceof Identity known
                ? known : Identity.ANONYMOUS;
        Caller caller = identity.caller(ANONYMOUS_PUBLISHER);
        return rooms.publish(caller, "http:" + caller.name(), room, data).handle((message, failure) -> {
            if (failure == null) {
                JsonObjectBuilder answer = Json.createObjectBuilder().add("id", message.id());
                if (message.offset() > 0) {
                    answer.add("offset", message.offset());
                }
                return Response.accepted(answer.build().toString()).build();
            }
            ProtocolException refusal = ProtocolException.of(failure);
            if (refusal.code() == ErrorCode.UNAVAILABLE) {
                metrics.busPublishFailed();
            }
            return ErrorResponses.of(refusal);
        });
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
