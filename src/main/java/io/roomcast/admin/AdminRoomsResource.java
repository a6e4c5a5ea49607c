package io.roomcast.admin;

import io.roomcast.api.HttpPublish;
import io.roomcast.room.Caller;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/admin/rooms/{room}/messages}: the console's system message. The body (any
 * JSON value) reaches every member of the room on every node as {@code data}, exactly like the
 * HTTP publish API ({@link HttpPublish}: same parser, same answers and error codes), with
 * {@code from} the operator's name ({@code server} without security); the action is logged.
 */
@Path("admin/rooms")
@AdminOnly
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminRoomsResource {

    @Inject
    HttpPublish http;

    @Context
    SecurityContext security;

    @Context
    HttpServletRequest request;

    @POST
    @Path("{room}/messages")
    @Consumes(MediaType.WILDCARD)
    public CompletionStage<Response> systemMessage(@PathParam("room") String room, String body) {
        Operator operator = Operator.of(security, request);
        String from = "anonymous".equals(operator.name()) ? "server" : operator.name();
        return http.publish(Caller.anonymous(from), "admin:" + from, room, body, null).thenApply(answer -> {
            operator.audit("system message to room " + room, answer.getStatus());
            return answer;
        });
    }
}
