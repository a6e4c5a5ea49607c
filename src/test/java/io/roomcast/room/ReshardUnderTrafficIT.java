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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A reshard under live traffic, at the seam where it broke: two nodes (registry and Redis bus
 * each) on a real Redis Cluster, publishers on both nodes sending to the busiest rooms without
 * pause, and the slots of those rooms (the lowest of one primary) moved to another primary by
 * {@code redis-cli --cluster reshard}. Every publish is acknowledged (Redis refused none it ran), a
 * member on each node receives every room's messages once, in offset order, nothing lost, and
 * both nodes' bus stays {@code connected} (readiness UP) throughout.
 */
@Timeout(180)
class ReshardUnderTrafficIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ROOMS = 3;
    private static final int AFTER_MOVES = 20;
    /** Slots redis-cli moves; the rooms are in them. */
    private static final int RESHARDED_SLOTS = 64;
    private static final long RUN = System.nanoTime() % 100_000;
    private static final Pattern ROOM = Pattern.compile("\"room\":\"([^\"]+)\"");
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");
    private static RedisCluster cluster;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<MessageBus> buses = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start(3, Duration.ofMillis(1000));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(MessageBus::close);
        scheduler.shutdownNow();
    }

    @Test
    void reshardOfTheBusiestRoomsLosesDuplicatesAndRefusesNothing() throws Exception {
        List<RoomRegistry> nodes = List.of(registry("node-a"), registry("node-b"));
        List<RecordingMember> members = List.of(new RecordingMember("on-a"), new RecordingMember("on-b"));
        // The busiest rooms sit in the lowest slots (those of slot 0's primary): redis-cli moves those first.
        List<String> rooms = new ArrayList<>();
        for (int i = 0; rooms.size() < ROOMS; i++) {
            rooms.add(roomInSlotsBelow(RESHARDED_SLOTS, i));
        }
        RedisServer from = cluster.ownerOf("roomcast:{" + rooms.get(0) + "}");
        for (int n = 0; n < nodes.size(); n++) {
            for (String room : rooms) {
                nodes.get(n).join(members.get(n), room, null, joined -> { }).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        for (RoomRegistry node : nodes) {
            Poll.until(() -> node.bus.health().up(), "bus verified", WAIT);
        }

        AtomicBoolean moved = new AtomicBoolean();
        Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();
        List<Throwable> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch publishing = new CountDownLatch(nodes.size() * rooms.size());
        List<Thread> publishers = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            RoomRegistry node = nodes.get(n);
            RecordingMember publisher = members.get(n);
            for (String room : rooms) {
                Thread thread = new Thread(() -> publishUntilMovedAndThenSome(node, publisher, room, moved, acked, refused, publishing));
                thread.start();
                publishers.add(thread);
            }
        }
        assertTrue(publishing.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "every publisher started");
        Map<String, Integer> states = new ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> {
            while (!moved.get()) { // samples readiness as fast as it can through the reshard
                nodes.forEach(node -> states.merge(node.bus.health().state(), 1, Integer::sum));
                Thread.onSpinWait();
            }
        });
        watcher.start();
        RedisServer to = cluster.primaries().stream().filter(p -> !p.equals(from)).findFirst().orElseThrow();
        cluster.reshard(from, to, RESHARDED_SLOTS); // redis-cli --cluster reshard, under traffic
        for (String room : rooms) {
            assertEquals(to, cluster.ownerOf("roomcast:{" + room + "}"), room + " moved");
        }
        moved.set(true);
        watcher.join();
        assertEquals(List.of("connected"), List.copyOf(states.keySet()), "readiness stayed UP through the reshard: " + states);
        for (Thread thread : publishers) {
            thread.join(WAIT.toMillis());
        }
        assertEquals(List.of(), refused, "every publish was acknowledged");

        for (RecordingMember member : members) {
            for (String room : rooms) {
                int total = acked.get(room).get();
                Poll.until(() -> offsets(member, room).size() >= total, member.id + " received all of " + room, WAIT);
                assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), offsets(member, room),
                        member.id + " received every message of " + room + " once, in offset order");
            }
        }
    }

    /** Publishes one message at a time, each acknowledged before the next, until the moves are done and then some. */
    private static void publishUntilMovedAndThenSome(RoomRegistry node, RecordingMember publisher, String room, AtomicBoolean moved,
                                                     Map<String, AtomicInteger> acked, List<Throwable> refused, CountDownLatch started) {
        started.countDown();
        int after = 0;
        for (int n = 0; after < AFTER_MOVES && refused.isEmpty(); n++) {
            boolean movesDone = moved.get();
            try {
                node.publish(publisher, room, Json.createValue(n), null).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                acked.computeIfAbsent(room, r -> new AtomicInteger()).incrementAndGet();
            } catch (Exception e) {
                refused.add(e);
            }
            if (movesDone) {
                after++;
            }
        }
    }

    /** The {@code n}th room name (a fresh prefix per run) whose slot is below {@code slots}. */
    private static String roomInSlotsBelow(int slots, int n) {
        int found = 0;
        for (int i = 0; ; i++) {
            String room = "busy-" + RUN + "-" + i;
            if (JedisClusterCRC16.getSlot("roomcast:{" + room + "}") < slots && found++ == n) {
                return room;
            }
        }
    }

    private static List<Long> offsets(RecordingMember member, String room) {
        List<Long> offsets = new ArrayList<>();
        for (String frame : member.messages()) {
            Matcher inRoom = ROOM.matcher(frame);
            Matcher offset = OFFSET.matcher(frame);
            if (inRoom.find() && inRoom.group(1).equals(room) && offset.find()) {
                offsets.add(Long.parseLong(offset.group(1)));
            }
        }
        return offsets;
    }

    private RoomRegistry registry(String nodeId) {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", nodeId, "roomcast.redis.url", cluster.url(), "roomcast.history.size", "1000",
                "roomcast.redis.probe-interval-ms", "200", "roomcast.redis.timeout-ms", "1000").get(key)));
        RoomRegistry registry = new RoomRegistry();
        registry.config = config;
        registry.bus = RedisBuses.unstarted(config, scheduler);
        registry.start();
        buses.add(registry.bus);
        return registry;
    }
}
