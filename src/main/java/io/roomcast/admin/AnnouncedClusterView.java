package io.roomcast.admin;

import io.roomcast.ops.ClusterSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * The cluster exactly as {@code GET /api/cluster} answers it ({@link ClusterSnapshot}): this
 * node fresh, the others as their last heartbeat announced them (Redis bus), or this node alone
 * (in-memory bus).
 */
@ApplicationScoped
public class AnnouncedClusterView implements ClusterView {

    @Inject
    ClusterSnapshot snapshot;

    @Override
    public List<JsonObject> nodes() {
        return snapshot.nodes().getValuesAs(JsonObject.class);
    }
}
