package io.roomcast.bus.redis;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PublishKey;
import io.roomcast.config.RoomcastConfig;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Redis buses for tests of other packages (a registry over a real Redis): {@link #unstarted}
 * builds the real bus when its owner starts it with a listener, as the container does.
 */
public final class RedisBuses {

    private RedisBuses() {
    }

    /** A Redis bus on {@code config}'s URL, started by its first {@code start}; {@code close} also closes its pool. */
    public static MessageBus unstarted(RoomcastConfig config, ScheduledExecutorService scheduler) {
        return new Deferred(config, scheduler);
    }

    private static final class Deferred implements MessageBus {
        private final RoomcastConfig config;
        private final ScheduledExecutorService scheduler;
        private RedisConnections connections;
        private volatile RedisMessageBus bus;

        Deferred(RoomcastConfig config, ScheduledExecutorService scheduler) {
            this.config = config;
            this.scheduler = scheduler;
        }

        @Override
        public void start(BusListener listener) {
            connections = new RedisConnections(config.redisUrl().orElseThrow(), config.redisPublishLanes(), Duration.ofSeconds(1));
            bus = RedisMessageBus.create(config, connections, Executors.defaultThreadFactory(), scheduler, listener);
        }

        @Override
        public CompletionStage<Void> subscribe(String room) {
            return bus.subscribe(room);
        }

        @Override
        public void unsubscribe(String room) {
            bus.unsubscribe(room);
        }

        @Override
        public CompletionStage<Position> publish(Envelope envelope, PublishKey key) {
            return bus.publish(envelope, key);
        }

        @Override
        public CompletionStage<History> history(String room, HistoryQuery query) {
            return bus.history(room, query);
        }

        @Override
        public BusHealth health() {
            return bus.health();
        }

        @Override
        public void close() {
            bus.close();
            connections.close();
        }
    }
}
