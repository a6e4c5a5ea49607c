package io.roomcast.ops;

import io.roomcast.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

/**
 * Creates the beans that must exist before the first client: the registry (it starts the bus),
 * the metrics (they must be registered before the first scrape) and the SIGTERM handler that
 * drains before the server stops. Marks the node started for the startup probe.
 */
@ApplicationScoped
class EagerStartup {

    private volatile boolean started;

    void onStart(@Observes Startup startup, RoomRegistry rooms, RoomcastMetrics metrics, StopSignalDrain stopSignal) {
        rooms.toString(); // calling through the proxy creates the bean
        metrics.toString(); // calling through the proxy creates the bean
        stopSignal.install();
        started = true;
    }

    boolean isStarted() {
        return started;
    }
}
