package io.roomcast.admin;

import io.roomcast.api.ClusterResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * The cluster exactly as {@code GET /api/cluster} answers it: this node fresh, the others as
 * their last heartbeat announced them (Redis bus), or this node alone (in-memory bus).
 */
@ApplicationScoped
public class AnnouncedClusterView implements ClusterView {

    @Inject
    ClusterResource cluster;

    @Override
    public List<JsonObject> nodes() {
        return cluster.cluster().getValuesAs(JsonObject.class);
    }
}
