package io.roomcast.admin;

import io.roomcast.ops.NodeStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;

/**
 * The cluster as one node sees it without a shared bus: only itself. A networked bus that
 * shares node stats (Redis) provides the whole cluster through its own {@link ClusterView}.
 */
@ApplicationScoped
public class LocalClusterView implements ClusterView {

    @Inject
    NodeStats self;

    @Override
    public List<JsonObject> nodes() {
        return List.of(self.snapshot());
    }
}
