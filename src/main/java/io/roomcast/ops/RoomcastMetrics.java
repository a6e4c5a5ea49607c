package io.roomcast.ops;

import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Every Roomcast metric, named and described in one place (PROTOCOL.md section 3). Names are
 * given without the suffixes the Prometheus output adds ({@code _total} for counters, the unit
 * for timers). No metric has a per-room or per-user label: their number would be unbounded.
 */
@ApplicationScoped
public class RoomcastMetrics {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    private Counter framesReceived;
    private Counter deliveries;
    private Counter outboxOverflows;
    private Timer deliveryLatency;

    @PostConstruct
    void register() {
        registry.gauge(Metadata.builder().withName("websocket_connections_total")
                .withDescription("Open WebSocket connections on this node").build(),
                connections, ConnectedMembers::count);
        registry.gauge(Metadata.builder().withName("roomcast_rooms")
                .withDescription("Rooms with at least one member on this node").build(),
                rooms, RoomRegistry::roomCount);
        framesReceived = registry.counter(Metadata.builder().withName("websocket_messages_received")
                .withDescription("Frames received from WebSocket clients").build());
        deliveries = registry.counter(Metadata.builder().withName("roomcast_messages_delivered")
                .withDescription("Room messages handed to a member's connection on this node").build());
        outboxOverflows = registry.counter(Metadata.builder().withName("roomcast_outbox_overflows")
                .withDescription("Connections closed because their send queue was full").build());
        // A timer, not an MP histogram: it keeps sub-millisecond precision and is exported as a
        // Prometheus histogram in seconds (websocket_message_latency_seconds_bucket).
        deliveryLatency = registry.timer(Metadata.builder().withName("websocket_message_latency")
                .withDescription("From a message's acceptance by the publishing node to its hand-off"
                        + " to a member's connection on this node")
                .withUnit(MetricUnits.SECONDS).build());
    }

    public void frameReceived() {
        framesReceived.inc();
    }

    /** One message handed to one member's connection. */
    public void delivered(long acceptedAtMicros, long nowMicros) {
        deliveries.inc();
        deliveryLatency.update(Duration.ofNanos(Math.max(0, nowMicros - acceptedAtMicros) * 1_000));
    }

    public void outboxOverflowed() {
        outboxOverflows.inc();
    }
}
