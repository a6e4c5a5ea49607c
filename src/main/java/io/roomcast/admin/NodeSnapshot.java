package io.roomcast.admin;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.MessageBus;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.Map;

/**
 * This node's stats as the admin console shows them: the contract's {@code /api/stats} fields
 * plus cumulative counters (the console turns them into rates), the delivery p99, the bus
 * state, the node's advertised URL, its largest rooms and the time it was taken ({@code ts}).
 */
@ApplicationScoped
public class NodeSnapshot {

    /** Rooms listed per node: enough for an overview, bounded whatever the room count. */
    static final int TOP_ROOMS = 20;

    @Inject
    RoomcastConfig config;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    @Inject
    MessageBus bus;

    @Inject
    RoomcastMetrics metrics;

    /** Safe from any thread; costs one pass over this node's rooms. */
    public JsonObject current() {
        Map<String, Integer> members = rooms.memberCounts();
        BusHealth health = bus.health();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("node", config.nodeId())
                .add("connections", connections.count())
                .add("capacity", connections.capacity())
                .add("rooms", members.size())
                .add("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                .add("draining", !connections.isAccepting())
                .add("bus", Json.createObjectBuilder().add("kind", health.kind())
                        .add("state", health.state()).add("up", health.up()))
                .add("framesReceived", metrics.framesReceivedCount())
                .add("messagesDelivered", metrics.deliveredCount())
                .add("topRooms", topRooms(members))
                .add("ts", System.currentTimeMillis());
        metrics.latencyP99Millis().ifPresent(p99 -> json.add("latencyP99Ms", Math.round(p99 * 1000) / 1000.0));
        config.advertisedUrl().ifPresent(url -> json.add("url", url));
        return json.build();
    }

    static JsonArrayBuilder topRooms(Map<String, Integer> members) {
        JsonArrayBuilder top = Json.createArrayBuilder();
        members.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_ROOMS)
                .forEach(e -> top.add(Json.createObjectBuilder().add("room", e.getKey()).add("members", e.getValue())));
        return top;
    }
}
