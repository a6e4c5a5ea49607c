package io.roomcast.api;

import io.roomcast.ops.ClusterSnapshot;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/cluster}: the stats of every live node ({@link ClusterSnapshot}). */
@ApplicationScoped
@Path("cluster")
public class ClusterResource {

    @Inject
    ClusterSnapshot snapshot;

    @GET
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray cluster() {
        return snapshot.nodes();
    }
}
