package io.roomcast.api;

import io.roomcast.ops.Drain;
import io.roomcast.ops.DrainReport;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/admin/drain}: takes the node out of service ({@link Drain}). Answers 202 at
 * once, or with {@code ?wait=true} 200 when every client is closed (a Kubernetes preStop hook
 * waits this way); calling it again is harmless.
 */
@Path("admin/drain")
@AdminOnly
@RequestScoped
public class DrainResource {

    @Inject
    Drain drain;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response drain(@QueryParam("wait") boolean wait) throws InterruptedException {
        var outcome = drain.start();
        if (!wait) {
            return Response.accepted(started()).build();
        }
        try {
            // The drain forces the last clients at its own deadline; one more second for that.
            DrainReport report = outcome.get(drain.drainTime().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return Response.ok(Json.createObjectBuilder().add("draining", true).add("done", true)
                    .add("connections", report.connections()).add("forced", report.forced())
                    .add("millis", report.millis()).build()).build();
        } catch (ExecutionException | TimeoutException e) {
            return Response.accepted(started()).build();
        }
    }

    private JsonObject started() {
        return Json.createObjectBuilder().add("draining", true).add("done", false)
                .add("closeWindowMillis", drain.closeWindow().toMillis()).build();
    }
}
