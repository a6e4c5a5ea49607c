package io.roomcast.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSignal;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PublishKey;
import io.roomcast.bus.redis.RedisTestStores;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomMember;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.TcpProxy;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
    private static final int BURST = 250;
    private static final Duration LATENCY = Duration.ofMillis(20);

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(4);

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
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
            a.joined(new Member("first-" + r), room(r));
        }
        await(a.read(room(ROOMS - 1))); // reads queue behind the writes: these are stored
        slowLink.delay(LATENCY);
        for (int i = 0; i < BURST; i++) { // a reconnect storm into rooms node a is in already
            a.joined(new Member("burst-" + i), room(i % ROOMS));
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

    /** A started presence service; TTL 4 s: marks valid 2 s, renewed and swept every second. */
    private PresenceService node(String id, PresenceStore store) {
        PresenceService node = new PresenceService();
        node.config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", id, "roomcast.presence.ttl-seconds", "4").get(key)));
        node.store = store;
        node.bus = new QuietBus();
        node.scheduler = managed(threads);
        node.create();
        node.onStart(null);
        closing.add(node::stop);
        return node;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** The scheduler as Liberty's managed one (only the plain scheduling methods are used). */
    private static ManagedScheduledExecutorService managed(ScheduledExecutorService scheduler) {
        return (ManagedScheduledExecutorService) Proxy.newProxyInstance(PresenceLivenessIT.class.getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                    try {
                        return ScheduledExecutorService.class.getMethod(method.getName(), method.getParameterTypes())
                                .invoke(scheduler, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
    }

    private record Member(String id) implements RoomMember {
        @Override
        public Caller caller() {
            return Caller.anonymous(id);
        }

        @Override
        public void deliver(String frame, long acceptedAtMicros) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void disconnect(CloseCode code) {
        }
    }

    /** Up, and nothing else: presence only asks its health and hands it signals. */
    private static final class QuietBus implements MessageBus {
        @Override
        public void start(BusListener listener) {
        }

        @Override
        public CompletionStage<Void> subscribe(String room) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void unsubscribe(String room) {
        }

        @Override
        public CompletionStage<Position> publish(Envelope envelope, PublishKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<History> history(String room, HistoryQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BusHealth health() {
            return new BusHealth(true, "redis", "connected");
        }

        @Override
        public void close() {
        }

        @Override
        public void publishPresence(PresenceSignal signal) {
        }

        @Override
        public void onPresence(Consumer<PresenceSignal> listener) {
        }
    }
}
