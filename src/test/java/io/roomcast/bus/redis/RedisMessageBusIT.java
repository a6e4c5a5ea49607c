package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.MessageBusContract;
import io.roomcast.bus.Position;
import io.roomcast.config.RoomcastConfig;
import it.io.roomcast.support.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis bus against a real {@code redis-server}, in this JVM: the shared bus contract plus
 * what only a networked bus can get wrong (routing, outages, clean shutdown).
 */
class RedisMessageBusIT extends MessageBusContract {

    private static RedisServer redis;
    private final List<RedisConnections> pools = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closePools() {
        pools.forEach(RedisConnections::close);
        scheduler.shutdownNow();
    }

    @Override
    protected MessageBus startBus(String nodeId, BusListener listener, int historySize) throws Exception {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", nodeId, "roomcast.redis.url", redis.url(),
                "roomcast.redis.probe-interval-ms", "200", "roomcast.redis.timeout-ms", "1000",
                "roomcast.history.size", Integer.toString(historySize)).get(key)));
        RedisConnections connections = new RedisConnections(URI.create(redis.url()), 2, Duration.ofSeconds(1));
        pools.add(connections);
        MessageBus bus = RedisMessageBus.create(config, connections, Executors.defaultThreadFactory(), scheduler, listener);
        await(() -> bus.health().up(), "bus healthy");
        return bus;
    }

    @Override
    protected MessageBus otherNode(MessageBus bus) throws Exception {
        return bus("node-other", e -> { });
    }

    @Override
    protected void loseHistory(String room) throws Exception {
        assertTrue(redis.command("DEL roomcast:{" + room + "}:meta roomcast:{" + room + "}:history").startsWith(":"));
    }

    @Test
    void flushedRedisGivesNewEpochsAndReloadsTheScriptItForgot() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add);
        await(bus.subscribe("flushed"));
        Position before = await(bus.publish(envelope("node-a", "flushed", "p", 1)));
        assertTrue(redis.command("FLUSHALL").startsWith("+OK"));
        assertTrue(redis.command("SCRIPT FLUSH").startsWith("+OK"));
        Position after = await(bus.publish(envelope("node-a", "flushed", "p", 2)));
        assertEquals(1, after.offset(), "offsets start again at 1");
        assertNotEquals(before.epoch(), after.epoch());
        assertEquals(before.epoch(), received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).epoch());
        Envelope second = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(new Position(1, after.epoch()), new Position(second.offset(), second.epoch()));
    }

    @Test
    void pipelinedBatchesThatMeetAForgottenScriptAreSentAgainInOrder() throws Exception {
        List<Long> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        MessageBus bus = bus("node-a", e -> delivered.add(e.offset()));
        await(bus.subscribe("reloaded"));
        await(bus.publish(envelope("node-a", "reloaded", "p", 0)));
        assertTrue(redis.command("SCRIPT FLUSH").startsWith("+OK"));
        List<java.util.concurrent.CompletableFuture<Position>> sent = new ArrayList<>();
        for (int n = 1; n <= 300; n++) { // one publisher: one lane, so most of these queue into batches
            sent.add(bus.publish(envelope("node-a", "reloaded", "p", n)).toCompletableFuture());
        }
        List<Long> offsets = new ArrayList<>();
        for (var one : sent) {
            offsets.add(await(one).offset());
        }
        List<Long> expected = java.util.stream.LongStream.rangeClosed(2, 301).boxed().toList();
        assertEquals(expected, offsets, "publish order kept through the NOSCRIPT retry");
        await(() -> delivered.size() == 301, "every message delivered");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 301).boxed().toList(), delivered);
    }

    @Test
    void aBurstOfReadsIsAnsweredEachRightAlsoWhenRedisForgotTheScript() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        for (int n = 1; n <= 10; n++) {
            await(bus.publish(envelope("node-a", "burst", "p", n)));
        }
        assertTrue(redis.command("SCRIPT FLUSH").startsWith("+OK"));
        List<java.util.concurrent.CompletableFuture<io.roomcast.bus.History>> reads = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // far more than the readers: they queue and go pipelined
            reads.add(bus.history("burst", io.roomcast.bus.HistoryQuery.since(i % 10, HISTORY)).toCompletableFuture());
        }
        for (int i = 0; i < reads.size(); i++) {
            io.roomcast.bus.History read = await(reads.get(i));
            assertEquals(10 - i % 10, read.frames().size(), "read " + i);
            assertEquals(i % 10 + 1, read.firstOffset(), "read " + i);
        }
    }

    @Test
    void historyKeysExpireTtlAfterTheLastPublish() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        await(bus.publish(envelope("node-a", "ttl", "p", 1)));
        for (String key : List.of("roomcast:{ttl}:meta", "roomcast:{ttl}:history")) {
            long ttl = Long.parseLong(redis.command("TTL " + key).substring(1).trim());
            assertTrue(ttl > 590 && ttl <= 600, key + " expires in " + ttl + " s");
        }
    }

    @Test
    void nodeReceivesOnlyRoomsItSubscribed() throws Exception {
        BlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
        MessageBus a = bus("node-a", atA::add);
        MessageBus b = bus("node-b", e -> { });
        await(a.subscribe("served"));
        b.publish(envelope("node-b", "elsewhere", "p", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        b.publish(envelope("node-b", "served", "p", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        // Redis keeps one connection's order: once "served" arrived, "elsewhere" would have too.
        assertEquals("served", atA.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).room());
        assertTrue(atA.isEmpty(), "nothing of a room without local members: " + atA);
        assertEquals("*1\n$17\nroomcast:{served}\n", redis.command("PUBSUB CHANNELS roomcast:{*"));
        a.unsubscribe("served");
        await(() -> pubsubChannels().startsWith("*0"), "unsubscribed channel disappears");
    }

    @Test
    void outageRefusesPublishAndSubscribeThenRecoversTheSubscriptions() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add);
        await(bus.subscribe("kept"));
        publishFromManyPublishers(bus); // every lane now holds a pooled connection
        redis.kill();
        await(() -> !bus.health().up(), "health turns down");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> bus.publish(envelope("node-a", "kept", "p", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof BusUnavailableException, refused.toString());
        ExecutionException notSubscribed = assertThrows(ExecutionException.class, () -> await(bus.subscribe("new-room")));
        assertTrue(notSubscribed.getCause() instanceof BusUnavailableException, notSubscribed.toString());
        redis.launch();
        await(() -> bus.health().up(), "health up again after the probe came back");
        publishFromManyPublishers(bus); // no publish fails on a connection the outage left dead
        bus.publish(envelope("node-a", "kept", "p", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        // Earlier publishes may still be on their way (an ack means Redis took it, not that it
        // arrived): skip them until the marker, which only a resubscribed room can receive.
        Envelope next;
        do {
            next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(next, "the room subscribed before the outage is subscribed again");
        } while (next.acceptedAtMicros() != 1_000_002L);
    }

    @Test
    void missedProbeTurnsHealthDownThoughTheConnectionLooksFine() throws Exception {
        MessageBus bus = bus("node-deaf", e -> { });
        // Redis keeps every connection open but holds PUBLISH: the subscriber hears nothing.
        assertTrue(redis.command("CLIENT PAUSE 3000 WRITE").startsWith("+OK"));
        await(() -> "unverified".equals(bus.health().state()), "a missed probe reports the bus unverified");
        assertFalse(bus.health().up());
        await(() -> bus.health().up(), "healthy again once probes come back");
    }

    @Test
    void closeEndsTheSubscriberThreadAndItsSubscriptions() throws Exception {
        MessageBus bus = bus("node-closing", e -> { });
        await(bus.subscribe("closing"));
        assertTrue(subscriberThreadAlive());
        bus.close();
        assertFalse(subscriberThreadAlive(), "no thread left behind");
        await(() -> pubsubChannels().startsWith("*0"), "no subscription left behind");
        assertFalse(bus.health().up(), "a closed bus is not healthy");
    }

    private static void publishFromManyPublishers(MessageBus bus) throws Exception {
        List<java.util.concurrent.CompletableFuture<Position>> sent = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            sent.add(bus.publish(envelope("node-a", "kept", "publisher-" + p, 0)).toCompletableFuture());
        }
        for (var one : sent) {
            one.get(5, TimeUnit.SECONDS);
        }
    }

    private static boolean subscriberThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("roomcast-redis-subscriber") && t.isAlive());
    }

    private static String pubsubChannels() {
        try {
            return redis.command("PUBSUB CHANNELS roomcast:{*");
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Polls a condition of a background loop (no event to wait on) for at most {@link #WAIT}. */
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }
}
