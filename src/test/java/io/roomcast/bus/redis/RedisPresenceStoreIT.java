package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceStoreContract;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis presence store against a real {@code redis-server}: the store contract plus liveness. */
class RedisPresenceStoreIT extends PresenceStoreContract {

    private static RedisServer redis;
    private RedisConnections connections;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closePool() throws Exception {
        connections.close();
        redis.command("FLUSHALL");
    }

    @Override
    protected PresenceStore store() {
        connections = new RedisConnections(redis.url(), 1, Duration.ofSeconds(2));
        return RedisPresenceStore.create(connections);
    }

    @Test
    void aNodeWhoseMarkExpiredIsDeadToOthersAndFindsOutItself() throws Exception {
        PresenceStore store = store();
        store.add(new PresenceEntry("chat", "node-a", "s1", "ann"));
        assertFalse(store.markAlive("node-a", Duration.ofMillis(50)), "a first mark finds none before it");
        store.markAlive("node-b", Duration.ofMinutes(1));
        assertTrue(store.markAlive("node-b", Duration.ofMinutes(1)), "a renewed mark finds the previous one");
        Http.await(() -> store.deadNodes("node-b", Duration.ZERO).size(), n -> n == 1, Duration.ofSeconds(5),
                n -> "node-a never expired");
        assertEquals(List.of("node-a"), store.deadNodes("node-b", Duration.ZERO));
        assertEquals(List.of(), store.deadNodes("node-a", Duration.ZERO), "a node never sweeps itself");
        assertEquals(List.of(new PresenceEntry("chat", "node-a", "s1", "ann")), store.entriesOf("node-a"));
        assertFalse(store.markAlive("node-a", Duration.ofMinutes(1)), "its own mark was gone: it must rewrite its entries");
    }

    @Test
    void entriesOfANodeThatNeverMarkedItselfAliveAreStillFoundAndSwept() {
        PresenceStore store = store();
        store.add(new PresenceEntry("chat", "node-x", "s1", "ann")); // e.g. after a Redis restart, then killed
        assertEquals(List.of(), store.deadNodes("node-a", Duration.ofMinutes(1)), "within the grace it may still mark itself");
        assertEquals(List.of("node-x"), store.deadNodes("node-a", Duration.ZERO));
        assertEquals(List.of(new PresenceEntry("chat", "node-x", "s1", "ann")), store.entriesOf("node-x"));
    }

    @Test
    void aRedisRestartLosesTheMarkSoTheNodeKnowsToRewrite() throws Exception {
        PresenceStore store = store();
        store.markAlive("node-a", Duration.ofMinutes(1));
        assertTrue(store.markAlive("node-a", Duration.ofMinutes(1)));
        redis.command("FLUSHALL");
        assertFalse(store.markAlive("node-a", Duration.ofMinutes(1)));
    }
}
