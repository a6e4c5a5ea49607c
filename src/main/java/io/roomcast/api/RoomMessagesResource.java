package io.roomcast.api;

import io.roomcast.room.Caller;
import io.roomcast.security.Identity;
import io.roomcast.security.PublisherOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/rooms/{room}/messages}: a backend service publishes to a room through any
 * node. The body is any JSON value, delivered as {@code data}; {@code from} is the caller's
 * name (the identity the publisher role filter established, whose groups also decide room
 * access), or {@code server} without authentication. Answers 202 once the bus accepted the
 * message ({@link HttpPublish}). One caller's sequential requests to one room keep their order.
 * An {@code Idempotency-Key} header (1 to 64 characters) makes a retry safe (contract section 7).
 */
@ApplicationScoped
@Path("rooms/{room}/messages")
public class RoomMessagesResource {

    static final String ANONYMOUS_PUBLISHER = "server";

    @Inject
    HttpPublish http;

    @POST
    @RateLimited
    @PublisherOnly
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> publish(@PathParam("room") String room, String body,
                                             @HeaderParam("Idempotency-Key") String key,
                                             @Context HttpServletRequest request) {
        Identity identity = request.getAttribute(Identity.REQUEST_PROPERTY) instanceof Identity known
                ? known : Identity.ANONYMOUS;
        Caller caller = identity.caller(ANONYMOUS_PUBLISHER);
        return http.publish(caller, "http:" + caller.name(), room, body, key);
    }
}
