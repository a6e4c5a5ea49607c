package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import redis.clients.jedis.HostAndPort;

/**
 * The node's {@link Subscriber}s, at most one per shard (primary): created on first use and
 * kept while the node runs, so a room joining a known shard never waits for a probe. The home
 * shard (the one holding the node's heartbeat) always has one, so that an idle node still
 * proves its path to Redis.
 */
final class ShardSubscribers {

    private final RedisConnections connections;
    private final Subscriber.Events events;
    private final Subscriptions.Setup setup;
    private final Map<HostAndPort, Subscriber> shards = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ShardSubscribers(RedisConnections connections, Subscriptions.Setup setup, Subscriber.Events events) {
        this.connections = connections;
        this.setup = setup;
        this.events = events;
    }

    /** The subscriber of {@code shard}, started now if it has none; throws once closed. */
    Subscriber of(HostAndPort shard) {
        if (closed) {
            throw new BusUnavailableException("The Redis bus is closed");
        }
        return shards.computeIfAbsent(shard, s -> {
            Subscriber subscriber = new Subscriber(connections, s, events, setup.probeTiming());
            subscriber.start(setup.threads());
            return subscriber;
        });
    }

    /** The subscriber of {@code shard}, or null when this node does not use it. */
    Subscriber find(HostAndPort shard) {
        return shards.get(shard);
    }

    /** The shard holding this node's heartbeat: subscribed even without rooms. May read the slot map. */
    HostAndPort home() {
        return connections.shardOf(RedisNames.heartbeatKey(setup.nodeId()));
    }

    /** Forgets {@code subscriber}, whose shard carries none of this node's rooms any more. */
    void retire(Subscriber subscriber) {
        shards.remove(subscriber.shard(), subscriber);
    }

    Collection<Subscriber> all() {
        return shards.values();
    }

    boolean closed() {
        return closed;
    }

    void close() throws InterruptedException {
        closed = true;
        for (Subscriber subscriber : shards.values()) {
            subscriber.close();
        }
    }
}
