package io.roomcast.admin;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/admin/rooms/{room}/messages}: the console's system message. The body (any
 * JSON value) reaches every member of the room on every node as {@code data}, like the HTTP
 * publish API, with {@code from} the operator's name ({@code server} without security), and
 * the action is logged. Answers {@code 202 {"id"}}, {@code 400} for a bad room or body,
 * {@code 503} when the bus cannot take it.
 */
@Path("admin/rooms")
@AdminOnly
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminRoomsResource {

    @Inject
    RoomRegistry rooms;

    @Inject
    RoomcastConfig config;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Path("{room}/messages")
    @Consumes(MediaType.WILDCARD)
    public Response systemMessage(@PathParam("room") String room, String body) {
        Operator operator = Operator.of(security, request);
        Response answer = publish(operator, room, body);
        operator.audit("system message to room " + room, answer.getStatus());
        return answer;
    }

    private Response publish(Operator operator, String room, String body) {
        if (body == null || body.getBytes(StandardCharsets.UTF_8).length > config.maxMessageBytes()) {
            return AdminErrors.response(Response.Status.BAD_REQUEST, ErrorCode.BAD_REQUEST.wire(),
                    "The body must be a JSON value of at most " + config.maxMessageBytes() + " bytes");
        }
        String from = "anonymous".equals(operator.name()) ? "server" : operator.name();
        try {
            String id = rooms.publish(Caller.anonymous(from), "admin:" + from, room, parse(body))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS).id();
            return Response.accepted(Json.createObjectBuilder().add("id", id).build().toString()).build();
        } catch (ProtocolException e) {
            return failure(e);
        } catch (ExecutionException | CompletionException e) {
            return e.getCause() instanceof ProtocolException p ? failure(p) : unavailable(e.getMessage());
        } catch (TimeoutException e) {
            return unavailable("The message bus did not accept the message in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("Interrupted");
        }
    }

    private static JsonValue parse(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "The body is not one JSON value");
        }
    }

    private static Response failure(ProtocolException e) {
        Response.Status status = switch (e.code()) {
            case UNAVAILABLE -> Response.Status.SERVICE_UNAVAILABLE;
            case FORBIDDEN -> Response.Status.FORBIDDEN;
            default -> Response.Status.BAD_REQUEST;
        };
        return AdminErrors.response(status, e.code().wire(), e.getMessage());
    }

    private static Response unavailable(String message) {
        return AdminErrors.response(Response.Status.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE.wire(), message);
    }
}
