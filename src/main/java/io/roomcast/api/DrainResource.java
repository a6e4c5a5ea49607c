package io.roomcast.api;

import io.roomcast.ops.Drain;
import io.roomcast.ops.DrainReport;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/admin/drain}: takes the node out of service ({@link Drain}). Answers 202 at
 * once, or with {@code ?wait=true} 200 when every client is closed (a Kubernetes preStop hook
 * waits this way; the wait holds no request thread); calling it again is harmless.
 */
@Path("admin/drain")
@AdminOnly
@RequestScoped
public class DrainResource {

    @Inject
    Drain drain;

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> drain(@QueryParam("wait") String waitParam) {
        boolean wait = flag("wait", waitParam); // before the drain: a bad request changes nothing
        CompletableFuture<DrainReport> outcome = drain.start();
        if (!wait) {
            return CompletableFuture.completedFuture(Response.accepted(started()).build());
        }
        // No request thread waits. The drain forces the last clients at its own deadline; one more
        // second for that. A copy times out, not the drain's outcome that every caller shares.
        return outcome.copy().orTimeout(drain.drainTime().toMillis() + 1_000, TimeUnit.MILLISECONDS)
                .handle((report, failure) -> failure != null ? Response.accepted(started()).build()
                        : Response.ok(Json.createObjectBuilder().add("draining", true).add("done", true)
                                .add("connections", report.connections()).add("forced", report.forced())
                                .add("millis", report.millis()).build()).build());
    }

    /** {@code true} or {@code false} (absent or empty: false); anything else is a 400, not a guess. */
    private static boolean flag(String name, String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new ProtocolException(ErrorCode.BAD_REQUEST, "The query parameter " + name
                + " must be true or false, not " + (value.length() > 20 ? value.substring(0, 20) + "..." : value));
    }

    private JsonObject started() {
        return Json.createObjectBuilder().add("draining", true).add("done", false)
                .add("closeWindowMillis", drain.closeWindow().toMillis()).build();
    }
}
