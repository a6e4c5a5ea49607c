package io.roomcast.admin;

import io.roomcast.api.ErrorResponses;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/admin/nodes/{node}/drain}: drains any node of the cluster from whichever
 * node the console reached. The drain itself is the target node's {@code POST /api/admin/drain}
 * (the operations API); this resource only finds that node and forwards, answering with the
 * target's own answer.
 */
@Path("admin/nodes")
@AdminOnly
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    static final String DRAIN_PATH = "/api/admin/drain";

    @Inject
    NodeForwarder forwarder;

    @POST
    @Path("{node}/drain")
    public CompletionStage<Response> drain(@PathParam("node") String node, @Context SecurityContext security,
            @Context HttpServletRequest request) {
        Operator operator = Operator.of(security, request);
        CompletionStage<Response> answer = forwarder.baseUrlOf(node, request)
                .map(base -> forwarder.post(base, DRAIN_PATH).thenApply(NodeForwarder.Answer::toResponse))
                .orElseGet(() -> CompletableFuture.completedFuture(ErrorResponses.of(Response.Status.NOT_FOUND,
                        "unknown_node", "No live node " + node + " with a known URL (set roomcast.advertised-url"
                                + " on every node)")));
        return answer.thenApply(outcome -> {
            operator.audit("drain node " + node, outcome.getStatus());
            return outcome;
        });
    }
}
