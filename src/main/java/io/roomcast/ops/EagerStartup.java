package io.roomcast.ops;

import io.roomcast.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Creates the beans that must exist before the first client: the registry (it starts the bus)
 * and the metrics (they must be registered before the first scrape).
 */
@ApplicationScoped
class EagerStartup {

    void onStart(@Observes Startup startup, RoomRegistry rooms, RoomcastMetrics metrics) {
        rooms.toString(); // calling through the proxy creates the bean
        metrics.toString(); // calling through the proxy creates the bean
    }
}
