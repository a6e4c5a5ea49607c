package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis bus on a real Redis Cluster (3 primaries, one replica each), in this JVM: the
 * shared bus contract, sharded routing, and a primary's failover.
 */
@Timeout(120)
class RedisClusterBusIT extends RedisBusContract {

    private static final int PRIMARIES = 3;
    private static RedisCluster cluster;
    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start(PRIMARIES, Duration.ofMillis(1000));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected String url() {
        return cluster.url();
    }

    @Override
    protected MessageBus startBus(String nodeId, BusListener listener, int historySize) throws Exception {
        MessageBus bus = super.startBus(nodeId, listener, historySize);
        assertEquals("redis-cluster", bus.health().kind());
        return bus;
    }

    @Override
    protected void loseHistory(String room) throws Exception {
        String meta = RedisNames.metaKey(room);
        RedisCluster.cli(cluster.ownerOf(meta), "DEL", meta, RedisNames.historyKey(room));
    }

    @Test
    void roomsOnEveryShardAreShardChannelsOfTheirOwnPrimaryOnly() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        MessageBus a = bus("node-a", atA::add);
        MessageBus b = bus("node-b", e -> { });
        Map<RedisServer, List<String>> roomsByPrimary = subscribedOnEveryPrimary(a, 2);
        for (Map.Entry<RedisServer, List<String>> shard : roomsByPrimary.entrySet()) {
            List<String> expected = shard.getValue().stream().map(RedisNames::roomChannel).sorted().toList();
            assertEquals(expected, cluster.shardChannels(shard.getKey(), "roomcast:{*").stream().sorted().toList(),
                    "shard " + shard.getKey().port() + " carries exactly the hosted rooms of its slots");
        }
        b.publish(envelope("node-b", "not-hosted", "p", 0)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        List<String> rooms = roomsByPrimary.values().stream().flatMap(List::stream).toList();
        for (int n = 0; n < rooms.size(); n++) {
            b.publish(envelope("node-b", rooms.get(n), "p", n + 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        List<String> received = new ArrayList<>();
        for (int n = 0; n < rooms.size(); n++) {
            Envelope next = atA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(next, "every shard delivers; got only " + received);
            received.add(next.room());
        }
        assertEquals(rooms.stream().sorted().toList(), received.stream().sorted().toList());
        a.unsubscribe(rooms.get(0));
        Poll.until(() -> !cluster.shardChannels(cluster.ownerOf(RedisNames.roomChannel(rooms.get(0))), "roomcast:{*")
                .contains(RedisNames.roomChannel(rooms.get(0))), "a room without members leaves its shard", WAIT);
    }

    @Test
    void killedPrimaryIsReplacedByItsReplicaAndItsRoomsResumeWhileOtherShardsNeverStop() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        MessageBus a = bus("node-a", atA::add);
        MessageBus b = bus("node-b", e -> { });
        Map<RedisServer, List<String>> roomsByPrimary = subscribedOnEveryPrimary(a, 1);
        List<RedisServer> primaries = new ArrayList<>(roomsByPrimary.keySet());
        RedisServer victim = primaries.get(0);
        String lost = roomsByPrimary.get(victim).get(0);
        String steady = roomsByPrimary.get(primaries.get(1)).get(0);

        // A shard used for the first time is unverified until its probe came back: start from all verified.
        Poll.until(() -> a.health().up(), "every shard verified", WAIT);
        long killedAt = System.nanoTime();
        victim.kill();
        Poll.until(() -> "reconnecting".equals(a.health().state()), "the bus reports the lost shard", WAIT);
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> a.publish(envelope("node-a", lost, "p", -1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof BusUnavailableException, refused.toString());
        int n = 0;
        while (!a.health().up()) {
            assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(60), "failover within a minute");
            b.publish(envelope("node-b", steady, "steady", ++n)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(steady, nextFrom(atA, "steady").room(), "the other shards never stop");
            Thread.sleep(20); // paces the steady stream: about 50 messages a second, not a load test
        }
        // B follows the promoted replica on its first refused try (its pooled connection to the dead one).
        Poll.until(() -> b.publish(envelope("node-b", lost, "after", 1)).toCompletableFuture()
                .handle((position, failure) -> failure == null).get(5, TimeUnit.SECONDS), "a publish to the lost room goes through", WAIT);
        assertEquals(lost, nextFrom(atA, "after").room());
        System.out.printf("Redis Cluster failover: room %s delivered again %d ms after its primary was killed"
                + " (%d steady messages on another shard meanwhile)%n", lost,
                (System.nanoTime() - killedAt) / 1_000_000, n);
        assertFalse(cluster.primaries().contains(victim));

        victim.launch(); // rejoins as a replica of the promoted one, for the other tests
        cluster.awaitHealthy(PRIMARIES);
    }

    @Test
    void roomWhoseSlotMigratesIsSubscribedOnItsNewPrimaryWithoutAnyoneAsking() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        MessageBus a = bus("node-a", atA::add);
        MessageBus b = bus("node-b", e -> { });
        String room = "mover-" + System.nanoTime() % 100_000;
        String channel = RedisNames.roomChannel(room);
        await(a.subscribe(room));
        await(b.publish(envelope("node-b", room, "p", 1))); // the room's history keys move too
        assertEquals(1, atA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).offset());
        RedisServer from = cluster.ownerOf(channel);
        RedisServer to = cluster.primaries().stream().filter(p -> !p.equals(from)).findFirst().orElseThrow();

        cluster.moveSlot(channel, to);
        Poll.until(() -> cluster.shardChannels(to, channel).contains(channel), "the room follows its slot", WAIT);
        assertEquals(List.of(), cluster.shardChannels(from, channel), "and leaves the old primary");
        Poll.until(() -> a.health().up(), "verified again", WAIT);
        // B's slot map is stale: its first try may meet MOVED and answer unavailable; it rereads the map.
        Poll.until(() -> b.publish(envelope("node-b", room, "p", 2)).toCompletableFuture()
                .handle((position, failure) -> failure == null).get(5, TimeUnit.SECONDS), "a publish goes through", WAIT);
        Envelope moved = atA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(moved, "delivered from the new primary");
        assertEquals(2, moved.offset(), "the history moved with the slot: offsets go on");
    }

    @Test
    void subscribeSentOnAStaleSlotMapMovesOnlyThatRoomAndTheShardsOtherRoomsNeverStop() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        MessageBus a = bus("node-a", atA::add);
        MessageBus b = bus("node-b", e -> { });
        Map<RedisServer, List<String>> rooms = subscribedOnEveryPrimary(a, 1); // A uses every shard already
        List<RedisServer> primaries = new ArrayList<>(rooms.keySet());
        RedisServer from = primaries.get(0);
        RedisServer to = primaries.get(1);
        String steady = rooms.get(from).get(0);
        String late = unsubscribedRoomOn(from, steady);
        Poll.until(() -> a.health().up(), "every shard verified", WAIT);
        cluster.moveSlot(RedisNames.roomChannel(late), to); // A's slot map does not know

        Map<String, Integer> states = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) { // samples as fast as it can: a reconnect lasts a moment
                states.merge(a.health().state(), 1, Integer::sum);
                Thread.onSpinWait();
            }
        });
        watcher.start();
        try {
            await(a.subscribe(late)); // SSUBSCRIBE to the old owner first: refused with MOVED
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertEquals(List.of("connected"), List.copyOf(states.keySet()), "the shard's connection never dropped: " + states);
        assertEquals(List.of(RedisNames.roomChannel(late)), cluster.shardChannels(to, RedisNames.roomChannel(late)));
        for (String room : List.of(steady, late)) {
            Poll.until(() -> b.publish(envelope("node-b", room, "p", 1)).toCompletableFuture()
                    .handle((position, failure) -> failure == null).get(5, TimeUnit.SECONDS), "a publish goes through", WAIT);
            assertEquals(room, nextFrom(atA, "p").room());
        }
    }

    /** An idle lane publishes on the caller's thread, which would wait out the migration the test is to advance. */
    private static CompletableFuture<Position> publishOnAnotherThread(MessageBus bus, Envelope envelope) {
        return CompletableFuture.supplyAsync(() -> bus.publish(envelope), CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS))
                .thenCompose(sent -> sent);
    }

    /** A room whose slot {@code shard} owns, other than {@code other}'s slot, that nobody subscribed. */
    private static String unsubscribedRoomOn(RedisServer shard, String other) throws Exception {
        String otherSlot = RedisCluster.cli(shard, "CLUSTER", "KEYSLOT", RedisNames.roomChannel(other)).trim();
        for (int i = 0; ; i++) {
            String room = "late-" + System.nanoTime() % 100_000 + "-" + i;
            String channel = RedisNames.roomChannel(room);
            if (cluster.ownerOf(channel).equals(shard)
                    && !RedisCluster.cli(shard, "CLUSTER", "KEYSLOT", channel).trim().equals(otherSlot)) {
                return room;
            }
        }
    }

    @Test
    void publishesAndReadsFollowASlotThroughItsMigrationAndNoneIsRefusedOrRunTwice() throws Exception {
        MessageBus a = bus("node-a", e -> { });
        MessageBus b = bus("node-b", e -> { });
        MessageBus c = bus("node-c", e -> { });
        String room = "migrating-" + System.nanoTime() % 100_000;
        String channel = RedisNames.roomChannel(room);
        await(a.publish(envelope("node-a", room, "p", 1))); // the room's history keys exist
        RedisServer from = cluster.ownerOf(channel);
        RedisServer to = cluster.primaries().stream().filter(p -> !p.equals(from)).findFirst().orElseThrow();

        RedisCluster.SlotMove move = cluster.beginMove(channel, to);
        // Keys still on the source: the script (history and channel keys) meets TRYAGAIN there.
        CompletableFuture<Position> whileMigrating = publishOnAnotherThread(b, envelope("node-b", room, "p", 2));
        move.migrateKeys();
        // Keys on the target: ASK there, where the script meets TRYAGAIN until the slot is the target's;
        // a read (history keys only) is served on the target after ASKING.
        CompletableFuture<Position> whileAsking = publishOnAnotherThread(c, envelope("node-c", room, "p", 3));
        assertEquals(1, await(a.history(room, HistoryQuery.position())).top(), "read during the migration, by ASK");
        move.finish();

        List<Long> offsets = new ArrayList<>(List.of(await(whileMigrating).offset(), await(whileAsking).offset()));
        offsets.add(await(a.publish(envelope("node-a", room, "p", 4))).offset()); // A's map is stale: MOVED
        assertEquals(List.of(2L, 3L, 4L), offsets.stream().sorted().toList(), "every publish accepted once");
        History read = await(b.history(room, HistoryQuery.since(0, 10))); // B's map is stale too: MOVED
        assertEquals(4, read.top(), "no publish ran twice");
        assertEquals(4, read.frames().size());
    }

    @Test
    void nodeStartedWhileNoSeedAnswersStartsAndRefusesAtOnce() throws Exception {
        String nowhere = "redis-cluster://127.0.0.1:" + FreePorts.next();
        MessageBus bus = createBus("node-early", nowhere, e -> { }, HISTORY);
        try {
            assertEquals("connecting", bus.health().state());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> bus.publish(envelope("node-early", "r", "p", 1)).toCompletableFuture().get(1, TimeUnit.SECONDS));
            assertTrue(refused.getCause() instanceof BusUnavailableException, refused.toString());
            ExecutionException notSubscribed = assertThrows(ExecutionException.class,
                    () -> bus.subscribe("r").toCompletableFuture().get(5, TimeUnit.SECONDS));
            assertTrue(notSubscribed.getCause() instanceof BusUnavailableException, notSubscribed.toString());
        } finally {
            bus.close();
        }
    }

    /** Skips what arrived from other publishers (late probes of earlier tests cannot; rooms differ). */
    private static Envelope nextFrom(BlockingQueue<Envelope> queue, String publisher) throws InterruptedException {
        while (true) {
            Envelope next = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(next, "a message from " + publisher + " arrived");
            if (next.publisher().equals(publisher)) {
                return next;
            }
        }
    }

    /** Rooms as {@link #roomsOnEveryPrimary}, each subscribed by {@code bus}. */
    private static Map<RedisServer, List<String>> subscribedOnEveryPrimary(MessageBus bus, int perPrimary) throws Exception {
        Map<RedisServer, List<String>> rooms = roomsOnEveryPrimary(perPrimary);
        for (List<String> owned : rooms.values()) {
            for (String room : owned) {
                await(bus.subscribe(room));
            }
        }
        return rooms;
    }

    /** Room names such that every live primary owns the slots of {@code perPrimary} of them. */
    private static Map<RedisServer, List<String>> roomsOnEveryPrimary(int perPrimary) throws Exception {
        Map<RedisServer, List<String>> rooms = new LinkedHashMap<>();
        List<RedisServer> primaries = cluster.primaries();
        for (int i = 0; rooms.values().stream().mapToInt(List::size).sum() < perPrimary * primaries.size(); i++) {
            String room = "room-" + System.nanoTime() % 100_000 + "-" + i;
            List<String> owned = rooms.computeIfAbsent(cluster.ownerOf(RedisNames.roomChannel(room)), p -> new ArrayList<>());
            if (owned.size() < perPrimary) {
                owned.add(room);
            }
        }
        return rooms;
    }
}
