package io.roomcast.ops;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.MessageBus;
import io.roomcast.room.ConnectedMembers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * What every health check reports about this node (PROTOCOL.md section 3), read fresh on each
 * probe. Cheap: counters and the bus's cached state, no I/O.
 */
@ApplicationScoped
class NodeStatus {

    @Inject
    ConnectedMembers connections;

    @Inject
    MessageBus bus;

    @Inject
    Drain drain;

    @Inject
    NodeStats stats;

    boolean draining() {
        return drain.isDraining();
    }

    boolean atCapacity() {
        return connections.atCapacity();
    }

    BusHealth bus() {
        return bus.health();
    }

    /** A response named {@code name} with every data field. */
    HealthCheckResponseBuilder response(String name) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        BusHealth busHealth = bus();
        return HealthCheckResponse.named(name)
                .withData("connections", connections.count())
                .withData("capacity", connections.capacity())
                .withData("uptimeSeconds", stats.uptimeSeconds())
                .withData("heapUsedBytes", heap.getUsed())
                .withData("heapMaxBytes", heap.getMax())
                .withData("draining", draining())
                .withData("busKind", busHealth.kind())
                .withData("busState", busHealth.state())
                .withData("busUp", busHealth.up());
    }
}
