package io.roomcast.ws;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The node-wide collaborators every connection needs, injected once instead of per connection. */
@ApplicationScoped
class ConnectionSupport {

    @Inject
    RoomcastConfig config;

    @Inject
    RoomcastMetrics metrics;

    /** Liberty's managed executor: runs closes off the delivering thread. */
    @Resource
    ManagedExecutorService executor;

    RoomcastConfig config() {
        return config;
    }

    RoomcastMetrics metrics() {
        return metrics;
    }

    ManagedExecutorService executor() {
        return executor;
    }
}
