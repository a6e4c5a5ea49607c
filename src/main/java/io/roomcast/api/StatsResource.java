package io.roomcast.api;

import io.roomcast.ops.NodeStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/stats}: this node's stats (see {@link NodeStats} for the fields). */
@ApplicationScoped
@Path("stats")
public class StatsResource {

    @Inject
    NodeStats stats;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject stats() {
        return stats.snapshot();
    }
}
