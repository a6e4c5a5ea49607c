package io.roomcast.admin;

import io.roomcast.api.ErrorResponses;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomMember;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code POST /api/admin/sessions/{id}/disconnect}: closes one client connection with 1008
 * ("Disconnected by an administrator"; clients should not reconnect by themselves). Answers
 * {@code 200 {"session","node"}} from the node that had it, after asking the other nodes (all at
 * once, without holding a request thread) when this one does not; {@code 404 not_found} when no
 * node has it.
 */
@Path("admin/sessions")
@AdminOnly
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomcastConfig config;

    @Inject
    NodeForwarder forwarder;

    @Context
    HttpHeaders headers;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Path("{id}/disconnect")
    public CompletionStage<Response> disconnect(@PathParam("id") String id) {
        Operator operator = Operator.of(security, request);
        CompletionStage<Response> answer = disconnectHere(id)
                .<CompletionStage<Response>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> isForwarded() ? CompletableFuture.completedFuture(notFound(id)) : askOtherNodes(id));
        return answer.thenApply(outcome -> {
            operator.audit("disconnect session " + id, outcome.getStatus());
            return outcome;
        });
    }

    private Optional<Response> disconnectHere(String id) {
        Optional<RoomMember> member = connections.find(id);
        member.ifPresent(m -> m.disconnect(CloseCode.KICKED));
        return member.map(m -> Response.ok(Json.createObjectBuilder()
                .add("session", id).add("node", config.nodeId()).build().toString()).build());
    }

    /** Asks every other node at once; the one that had the session answers. */
    private CompletionStage<Response> askOtherNodes(String id) {
        if (!SESSION_ID.matcher(id).matches()) {
            return CompletableFuture.completedFuture(notFound(id)); // never put an odd id into another node's URL
        }
        return forwarder.firstOkFromOtherNodes("/api/admin/sessions/" + id + "/disconnect")
                .thenApply(found -> found.map(NodeForwarder.Answer::toResponse).orElseGet(() -> notFound(id)));
    }

    private boolean isForwarded() {
        return headers.getHeaderString(NodeForwarder.FORWARDED) != null;
    }

    private static Response notFound(String id) {
        return ErrorResponses.of(Response.Status.NOT_FOUND, "not_found", "No node has session " + id);
    }
}
