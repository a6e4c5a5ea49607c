package io.roomcast.api;

import io.roomcast.presence.PresenceFrames;
import io.roomcast.presence.PresenceService;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.security.PublisherOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/rooms/{room}/presence}: who is in a room across every node, as the
 * {@code presence} reply minus its type (PROTOCOL.md section 8). With security on, only the
 * publisher and admin groups may ask: a backend or an operator, not any member.
 */
@ApplicationScoped
@Path("rooms/{room}/presence")
public class PresenceResource {

    @Inject
    PresenceService presence;

    @GET
    @RateLimited
    @PublisherOnly
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> presence(@PathParam("room") String room) {
        return presence.read(room).handle((snapshot, failure) -> failure == null
                ? Response.ok(PresenceFrames.body(room, snapshot).toString()).build()
                : ErrorResponses.of(ProtocolException.of(failure)));
    }
}
