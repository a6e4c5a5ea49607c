package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.MessageBus;
import io.roomcast.bus.redis.RedisBuses;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.room.RoomRegistryTest.RecordingMember;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry over the real Redis bus (its subscriber on a real {@code redis-server}, one Redis
 * and a Redis Cluster): a member that leaves its room and rejoins at once, being its only member
 * on the node, sends UNSUBSCRIBE and SUBSCRIBE back to back. Redis's reply to the unsubscribe
 * must not read as Redis dropping the room (a slot move), so the bus stays {@code connected}
 * (readiness UP) through every cycle, and the room still delivers afterwards.
 */
@Timeout(120)
class RejoinOverRedisIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CYCLES = 300;
    private static RedisServer redis;
    private static RedisCluster cluster;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<MessageBus> buses = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        cluster = RedisCluster.start(3, Duration.ofMillis(1000));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        cluster.close();
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(MessageBus::close);
        scheduler.shutdownNow();
    }

    @Test
    void quickRejoinsKeepTheBusConnectedOnOneRedis() throws Exception {
        rejoinAtOnceKeepsReadinessAndDelivery(redis.url());
    }

    @Test
    void quickRejoinsKeepTheBusConnectedOnARedisCluster() throws Exception {
        rejoinAtOnceKeepsReadinessAndDelivery(cluster.url());
    }

    private void rejoinAtOnceKeepsReadinessAndDelivery(String url) throws Exception {
        RoomRegistry registry = registry(url);
        MessageBus bus = registry.bus;
        RecordingMember member = new RecordingMember("m1");
        String room = "rejoin-" + System.nanoTime() % 100_000;
        join(registry, member, room);
        Poll.until(() -> bus.health().up(), "bus verified", WAIT);

        Map<String, Integer> seen = new ConcurrentHashMap<>();
        AtomicBoolean cycling = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (cycling.get()) { // samples health as fast as it can: the lapse lasts a moment
                seen.merge(bus.health().state(), 1, Integer::sum);
                Thread.onSpinWait();
            }
        });
        watcher.start();
        try {
            for (int n = 0; n < CYCLES; n++) {
                registry.leave(member, room);
                join(registry, member, room);
            }
        } finally {
            cycling.set(false);
            watcher.join();
        }
        assertEquals(Optional.empty(), seen.keySet().stream().filter(state -> !"connected".equals(state)).findFirst(),
                "bus state through " + CYCLES + " leave/rejoin cycles: " + seen);
        assertTrue(bus.health().up(), bus.health().toString());

        registry.publish(member, room, Json.createValue("after"), null).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Poll.until(() -> member.messages().stream().anyMatch(f -> f.contains("\"after\"")), "the room still delivers", WAIT);
    }

    private static void join(RoomRegistry registry, RecordingMember member, String room) throws Exception {
        registry.join(member, room, null, joined -> { }).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private RoomRegistry registry(String url) {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", "rejoiner", "roomcast.redis.url", url,
                "roomcast.redis.probe-interval-ms", "200", "roomcast.redis.timeout-ms", "1000").get(key)));
        RoomRegistry registry = new RoomRegistry();
        registry.config = config;
        registry.bus = RedisBuses.unstarted(config, scheduler);
        registry.start();
        buses.add(registry.bus);
        return registry;
    }
}
