package io.roomcast.ops;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.MessageBus;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Map;

/**
 * This node's stats as one JSON object: what {@code GET /api/stats} answers and what the
 * heartbeat announces to the cluster. Counters are cumulative since start, so a console
 * computes rates from two snapshots and their {@code ts}. Costs one pass over the local rooms.
 */
@ApplicationScoped
public class NodeStats {

    /** Rooms listed in {@code topRooms}, largest local membership first. */
    static final int TOP_ROOMS = 50;

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

    private long startedAtMillis;

    @PostConstruct
    void start() {
        startedAtMillis = System.currentTimeMillis();
    }

    /** Seconds since the application started on this node. */
    public long uptimeSeconds() {
        return (System.currentTimeMillis() - startedAtMillis) / 1000;
    }

    /** A fresh snapshot; safe from any thread. */
    public JsonObject snapshot() {
        long now = System.currentTimeMillis();
        BusHealth health = bus.health();
        JsonObjectBuilder stats = Json.createObjectBuilder()
                .add("node", config.nodeId())
                .add("connections", connections.count())
                .add("capacity", connections.capacity())
                .add("rooms", rooms.roomCount())
                .add("uptimeSeconds", uptimeSeconds())
                .add("draining", !connections.isAccepting())
                .add("bus", Json.createObjectBuilder().add("kind", health.kind())
                        .add("state", health.state()).add("up", health.up()))
                .add("framesReceived", metrics.framesReceivedCount())
                .add("messagesDelivered", metrics.deliveredCount())
                .add("messagesPublished", metrics.publishedCount())
                .add("ts", now);
        metrics.latencyP99Millis().ifPresent(p99 -> stats.add("latencyP99Ms", Math.round(p99 * 1000) / 1000.0));
        // Where other nodes forward admin actions for this node (the console's drain button).
        config.advertisedUrl().ifPresent(url -> stats.add("url", url));
        return stats.add("topRooms", topRooms()).build();
    }

    private JsonArrayBuilder topRooms() {
        JsonArrayBuilder top = Json.createArrayBuilder();
        rooms.memberCounts().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_ROOMS)
                .forEach(e -> top.add(Json.createObjectBuilder().add("room", e.getKey()).add("members", e.getValue())));
        return top;
    }
}
