package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.config.RoomcastConfig;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Redis Cluster primary that stops answering (SIGSTOP: its sockets stay open, nothing comes
 * back, as with a network dropping packets) while one node publishes to its rooms and to rooms
 * of the healthy shards through the same lane.
 */
@Timeout(180)
class DeadShardIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NODE = "node-dead-shard";
    private static final int ROUNDS = 6;
    private static RedisCluster cluster;

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<RedisConnections> pools = new ArrayList<>();
    private final List<MessageBus> buses = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        // A node timeout far beyond the test: the stopped primary is not failed over meanwhile.
        cluster = RedisCluster.start(3, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(MessageBus::close);
        pools.forEach(RedisConnections::close);
        scheduler.shutdownNow();
    }

    @Test
    void aStoppedPrimaryCostsOneTimeoutPerPeriodNotOnePerBatchAndWhatFailedAtOnceWasNotStored() throws Exception {
        RedisServer home = cluster.ownerOf(RedisNames.heartbeatKey(NODE)); // the shard this node subscribes to
        RedisServer victim = cluster.primaries().stream().filter(p -> !p.equals(home)).findFirst().orElseThrow();
        String dead = roomOn(victim, "dead");
        List<String> healthy = cluster.primaries().stream().filter(p -> !p.equals(victim))
                .map(p -> roomOnUnchecked(p, "healthy")).toList();
        // One lane: every publish of this test waits behind the one before it. A period longer than the test.
        MessageBus bus = bus(NODE, 1, Duration.ofSeconds(60));
        Poll.until(() -> bus.health().up(), "bus healthy", WAIT);
        await(bus.publish(envelope(dead, 0))); // a pooled connection to the victim, open and idle
        healthy.forEach(room -> await(bus.publish(envelope(room, 0))));

        List<Throwable> deadFailures = new ArrayList<>();
        signal("-STOP", victim);
        try {
            for (int n = 1; n <= ROUNDS; n++) {
                CompletionStage<?> toDead = bus.publish(envelope(dead, n));
                List<CompletionStage<?>> toHealthy = healthy.stream()
                        .<CompletionStage<?>>map(room -> bus.publish(envelope(room, 0))).toList();
                deadFailures.add(failureOf(toDead));
                toHealthy.forEach(DeadShardIT::await); // every healthy shard's message goes through
            }
        } finally {
            signal("-CONT", victim);
        }
        deadFailures.forEach(f -> assertTrue(f instanceof BusUnavailableException, f.toString()));
        long timedOut = deadFailures.stream().filter(DeadShardIT::waitedForRedis).count();
        assertEquals(1, timedOut, "one timeout for the dead shard in the period, not one per batch: " + deadFailures);

        // Failed at once means not sent: of the dead room's messages, at most the one that timed out
        // (it sat in the stopped primary's socket) can have run once it went on.
        MessageBus reader = bus("node-reader", 2, Duration.ofSeconds(5));
        Poll.until(() -> reader.history(dead, HistoryQuery.position()).toCompletableFuture()
                .handle((read, failure) -> failure == null).get(5, TimeUnit.SECONDS), "the victim answers again", WAIT);
        long top = await(reader.history(dead, HistoryQuery.position())).top();
        assertTrue(top == 1 || top == 2, "the warm-up and at most the timed-out one ran, not the " + (ROUNDS - 1)
                + " refused at once: top " + top);
    }

    @Test
    void theShardsProbeComingBackEndsTheMarkLongBeforeItsPeriod() throws Exception {
        RedisServer home = cluster.ownerOf(RedisNames.heartbeatKey(NODE));
        RedisServer victim = cluster.primaries().stream().filter(p -> !p.equals(home)).findFirst().orElseThrow();
        String hosted = roomOn(victim, "hosted");
        // A period far longer than the test's waits: only the probe can end the mark in time.
        MessageBus bus = bus(NODE, 1, Duration.ofMinutes(5));
        await(bus.subscribe(hosted)); // this node now probes the victim's shard too
        Poll.until(() -> bus.health().up(), "every shard verified", WAIT);

        signal("-STOP", victim);
        try {
            Throwable failure = failureOf(bus.publish(envelope(hosted, 1)));
            assertTrue(waitedForRedis(failure), "the first publish waits out the timeout and marks the shard: " + failure);
            Throwable refused = failureOf(bus.publish(envelope(hosted, 2)));
            assertTrue(refused instanceof BusUnavailableException && !waitedForRedis(refused), "then refused at once: " + refused);
        } finally {
            signal("-CONT", victim);
        }
        // The shard's subscriber connects again and its probe (sent to a marked shard all the same) comes back.
        Poll.until(() -> bus.publish(envelope(hosted, 3)).toCompletableFuture()
                .handle((position, failure) -> failure == null).get(5, TimeUnit.SECONDS), "a publish to the shard goes through", WAIT);
    }

    /** True when the failure came from a send that reached for Redis and waited (a timeout, a lost connection). */
    private static boolean waitedForRedis(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisConnectionException) {
                return true;
            }
        }
        return false;
    }

    private MessageBus bus(String nodeId, int lanes, Duration unreachableFor) {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", nodeId, "roomcast.redis.url", cluster.url(),
                "roomcast.redis.publish-lanes", Integer.toString(lanes),
                "roomcast.redis.probe-interval-ms", "200", "roomcast.redis.timeout-ms", "1000",
                "roomcast.history.size", "50").get(key)));
        RedisConnections connections = new RedisConnections(cluster.url(), lanes, Duration.ofSeconds(1), unreachableFor);
        pools.add(connections);
        MessageBus bus = RedisMessageBus.create(config, connections, Executors.defaultThreadFactory(), scheduler, e -> { });
        buses.add(bus);
        return bus;
    }

    private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException expected) {
            return expected.getCause();
        }
        return fail("a publish to the stopped primary's room succeeded");
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete: " + e, e);
        }
    }

    private static Envelope envelope(String room, int n) {
        return new Envelope(Envelope.CURRENT_VERSION, NODE, room, "p", 1_000_000L + n,
                "{\"type\":\"message\",\"room\":\"" + room + "\",\"data\":" + n + "}");
    }

    /** SIGSTOP or SIGCONT to {@code node}'s process, which this test class started. */
    private static void signal(String signal, RedisServer node) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(node.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill " + signal + " " + node.pid());
    }

    private static String roomOn(RedisServer shard, String prefix) throws Exception {
        for (int i = 0; ; i++) {
            String room = prefix + "-" + System.nanoTime() % 100_000 + "-" + i;
            if (cluster.ownerOf(RedisNames.roomChannel(room)).equals(shard)) {
                return room;
            }
        }
    }

    private static String roomOnUnchecked(RedisServer shard, String prefix) {
        try {
            return roomOn(shard, prefix);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
