package io.roomcast.api;

import io.roomcast.bus.HistoryQuery;
import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Caller;
import io.roomcast.room.HistoryParams;
import io.roomcast.room.HistoryReply;
import io.roomcast.room.RoomId;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.Authenticator;
import io.roomcast.security.Identity;
import io.roomcast.security.NotAuthenticatedException;
import io.roomcast.security.ServletCallerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/rooms/{room}/history?limit=L&before=N} (contract section 7): the newest
 * {@code limit} (1 to 100, default 50) messages of the room below offset {@code before}, oldest
 * first, with the room's epoch and latest offset. The caller needs what joining needs: an
 * identity (anyone in mode {@code none}) that the room's access rules let join; membership is
 * not needed. Bad parameters are 400, refusals 401/403, a bus that cannot read 503.
 */
@ApplicationScoped
@Path("rooms/{room}/history")
public class RoomHistoryResource {

    @Inject
    RoomRegistry rooms;

    @Inject
    Authenticator authenticator;

    @Inject
    RoomcastConfig config;

    @Inject
    RoomcastMetrics metrics;

    @GET
    @RateLimited
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> history(@PathParam("room") String room, @QueryParam("limit") String limit,
                                             @QueryParam("before") String before, @Context HttpServletRequest request) {
        Identity identity;
        try {
            identity = authenticator.authenticate(new ServletCallerRequest(request));
        } catch (NotAuthenticatedException e) {
            return CompletableFuture.completedFuture(unauthorized(e.getMessage()));
        }
        RoomId.require(room);
        HistoryQuery query = HistoryParams.page(before, limit);
        Caller caller = identity.caller("anonymous");
        return rooms.history(caller, room, query).handle((history, failure) -> {
            if (failure != null) {
                return ErrorResponses.of(ProtocolException.of(failure));
            }
            metrics.historyRead();
            return Response.ok(HistoryReply.encode(null, room, history, null), MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    /** 401 like the API's role filters answer it, with the Bearer challenge in jwt mode. */
    private Response unauthorized(String message) {
        Response.ResponseBuilder response = Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("code", "unauthorized").add("message", message).build().toString());
        if (config.authMode() == AuthMode.JWT) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }
}
