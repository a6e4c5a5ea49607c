package io.roomcast.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceWrite;
import io.roomcast.bus.redis.RedisTestStores;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Presence liveness against a slowed Redis: two presence services, nodes a and b, share one real
 * {@code redis-server}; node a reaches it through a proxy that delays every command by 20 ms. A
 * burst of joins on node a queues seconds of presence writes; its alive mark must stay fresh
 * meanwhile, so that node b never takes it for dead and never removes its live members.
 */
@Timeout(120)
class PresenceLivenessIT {

    private static final int ROOMS = 10;
    private static final int BURST = 300;
    private static final Duration LATENCY = Duration.ofMillis(20);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final PresenceNodes nodes = new PresenceNodes();

    @AfterEach
    void close() throws Exception {
        nodes.close();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void aBurstOfJoinsOverASlowLinkKeepsTheAliveMarkFreshAndNoOtherNodeSweepsItsMembers() throws Exception {
        RedisServer redis = RedisServer.start();
        closing.add(redis);
        TcpProxy slowLink = TcpProxy.start(URI.create(redis.url()));
        closing.add(slowLink);
        Sweeps sweepsAtB = new Sweeps(store(redis.url()));
        PresenceService a = node("node-a", store(slowLink.uri().toString()));
        node("node-b", sweepsAtB);
        for (int r = 0; r < ROOMS; r++) {
            a.joined(new PresenceNodes.Member("first-" + r), room(r));
        }
        await(a.read(room(ROOMS - 1))); // reads queue behind the writes: these are stored
        slowLink.delay(LATENCY);
        for (int i = 0; i < BURST; i++) { // a reconnect storm into rooms node a is in already
            a.joined(new PresenceNodes.Member("burst-" + i), room(i % ROOMS));
        }
        PresenceSnapshot last = await(a.read(room(0))); // after every write of the burst
        assertEquals(List.of(), sweepsAtB.deadFound, "node b found node a dead while its writes queued");
        assertEquals(1 + BURST / ROOMS, last.count(), "every member of node a is listed, none removed");
    }

    private static String room(int r) {
        return "live-" + r;
    }

    private PresenceStore store(String url) {
        RedisTestStores.Presence presence = RedisTestStores.presence(url, 4, Duration.ofSeconds(5));
        closing.add(presence);
        return presence.store();
    }

    /**
     * TTL 6 s: marks valid 3 s, renewed and swept every 1.5 s (a renewal may be 1.5 s late on a
     * loaded machine before the mark expires; the burst queues about 6 s of writes, twice that before).
     */
    private PresenceService node(String id, PresenceStore store) {
        return nodes.start(id, store, 6, new PresenceNodes.SignalBus());
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Node b's store, recording each time its sweep found other nodes dead. */
    private static final class Sweeps implements PresenceStore {
        final List<String> deadFound = new CopyOnWriteArrayList<>();
        private final PresenceStore store;

        Sweeps(PresenceStore store) {
            this.store = store;
        }

        @Override
        public List<String> deadNodes(String self, Duration grace) {
            List<String> dead = store.deadNodes(self, grace);
            deadFound.addAll(dead);
            return dead;
        }

        @Override
        public long add(PresenceEntry entry) {
            return store.add(entry);
        }

        @Override
        public long remove(PresenceEntry entry, boolean lastOfNode) {
            return store.remove(entry, lastOfNode);
        }

        @Override
        public PresenceSnapshot read(String room, int limit) {
            return store.read(room, limit);
        }

        @Override
        public boolean markAlive(String node, Duration ttl) {
            return store.markAlive(node, ttl);
        }

        @Override
        public List<PresenceEntry> entriesOf(String node) {
            return store.entriesOf(node);
        }

        @Override
        public void forget(String node) {
            store.forget(node);
        }

        @Override
        public PresenceWrite change(PresenceEntry entry, boolean joined, boolean onlyOfNode) {
            return store.change(entry, joined, onlyOfNode);
        }

        @Override
        public void watching(String room, String node, boolean watched) {
            store.watching(room, node, watched);
        }
    }
}
