package io.roomcast.presence;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PresenceSignal;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PublishKey;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomMember;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Presence services outside the container, for tests: each with its own store, a bus that only
 * records the presence signals it is given, and plain scheduler threads. Closing stops them all.
 */
final class PresenceNodes implements AutoCloseable {

    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(4);
    private final List<PresenceService> started = new ArrayList<>();

    /** A started node; {@code ttlSeconds} is its {@code roomcast.presence.ttl-seconds}. */
    PresenceService start(String nodeId, PresenceStore store, int ttlSeconds, SignalBus bus) {
        PresenceService node = new PresenceService();
        node.config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", nodeId, "roomcast.presence.ttl-seconds", Integer.toString(ttlSeconds)).get(key)));
        node.store = store;
        node.bus = bus;
        node.metrics = new RoomcastMetrics() {
            @Override
            public void presenceEventSent() {
                // no registry outside the container
            }
        };
        node.scheduler = managed(threads);
        node.create();
        node.onStart(null);
        started.add(node);
        return node;
    }

    @Override
    public void close() {
        started.forEach(PresenceService::stop);
        threads.shutdownNow();
    }

    /** The scheduler as Liberty's managed one (presence uses only the plain scheduling methods). */
    private static ManagedScheduledExecutorService managed(ScheduledExecutorService scheduler) {
        return (ManagedScheduledExecutorService) Proxy.newProxyInstance(PresenceNodes.class.getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                    try {
                        return ScheduledExecutorService.class.getMethod(method.getName(), method.getParameterTypes())
                                .invoke(scheduler, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A connection that accepts everything and stays open. */
    record Member(String id) implements RoomMember {
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

    /** Up; records the presence signals a node publishes, and nothing else. */
    static final class SignalBus implements MessageBus {
        final BlockingQueue<PresenceSignal> published = new LinkedBlockingQueue<>();

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
            return new BusHealth(true, "test", "up");
        }

        @Override
        public void close() {
        }

        @Override
        public void publishPresence(PresenceSignal signal) {
            published.add(signal);
        }

        @Override
        public void onPresence(Consumer<PresenceSignal> listener) {
        }
    }
}
