package io.roomcast.bus.redis;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusMetrics;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.MessageBus;
import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster bus over Redis pub/sub, chosen when {@code roomcast.redis.url} is set.
 *
 * <ul>
 * <li>Routing: each room is the channel {@code roomcast:{<room>}} (RedisNames); a node subscribes to it
 * only while the room has a local member, so a node never sees traffic of rooms it does not
 * serve (no pattern subscriptions).</li>
 * <li>Order: publishes go through {@link PublishLanes}, which keeps one publisher's messages
 * to one room on one connection. Local members are reached through Redis too (the registry
 * always goes through the bus), so local and remote members see the same order, and each
 * node receives a message once, from its one subscription.</li>
 * <li>Failure: while a shard's subscriber is disconnected, {@link #publish} to its rooms and
 * {@link #subscribe} fail at once with {@link BusUnavailableException}; the subscriber
 * reconnects with a capped, jittered backoff and resubscribes every room that still has
 * members. A {@link Probe} per shard proves the path every
 * {@code roomcast.redis.probe-interval-ms}; a probe not back within two intervals (at least
 * {@code roomcast.redis.timeout-ms}) makes {@link #health()} report down and forces a
 * resubscribe.</li>
 * <li>Redis Cluster ({@code redis-cluster://} URLs): room channels are shard channels
 * (SSUBSCRIBE/SPUBLISH), one subscriber connection per shard in use; rooms follow slot
 * migrations and failovers by themselves ({@link Subscriptions}).</li>
 * </ul>
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisMessageBus implements MessageBus {

    /** Messages waiting per lane before publishes are refused (bounds memory when Redis is slow). */
    private static final int MAX_QUEUED_PER_LANE = 10_000;

    @Inject
    RoomcastConfig config;

    @Inject
    RedisConnections connections;

    @Inject
    BusMetrics metrics;

    @Resource
    ManagedThreadFactory threads;

    @Resource
    ManagedScheduledExecutorService scheduler;

    // Set once by start(), read by health checks and request threads: volatile publishes them.
    private volatile PublishLanes lanes;
    private volatile Subscriptions subscriptions;
    private volatile ScheduledFuture<?> probing;
    private volatile BusListener listener = envelope -> { };
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Builds a bus outside the container (tests); the server injects the same collaborators. */
    static RedisMessageBus create(RoomcastConfig config, RedisConnections connections, ThreadFactory threads,
                                  ScheduledExecutorService scheduler, BusListener listener) {
        RedisMessageBus bus = new RedisMessageBus();
        bus.config = config;
        bus.connections = connections;
        bus.metrics = BusMetrics.NONE;
        bus.listener = listener;
        bus.start(threads, scheduler);
        return bus;
    }

    @Override
    public void start(BusListener listener) {
        this.listener = listener;
        start(threads, scheduler);
    }

    private void start(ThreadFactory threadFactory, ScheduledExecutorService executor) {
        PublishLanes publishing = new PublishLanes(config.redisPublishLanes(), MAX_QUEUED_PER_LANE, connections, executor);
        lanes = publishing;
        Subscriptions.Setup setup = new Subscriptions.Setup(config.nodeId(),
                (channel, seq) -> publishing.publish(channel, channel, Long.toString(seq)),
                new Probe.Timing(config.redisProbeInterval(), config.redisTimeout()), threadFactory);
        Subscriptions subscribed = new Subscriptions(connections, setup, this::onChannelMessage, executor);
        subscriptions = subscribed;
        subscribed.start();
        long interval = config.redisProbeInterval().toMillis();
        probing = executor.scheduleWithFixedDelay(subscribed::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void subscribe(String room) {
        subscriptions.subscribe(room);
    }

    @Override
    public void unsubscribe(String room) {
        subscriptions.unsubscribe(room);
    }

    @Override
    public CompletionStage<Void> publish(Envelope envelope) {
        if (!subscriptions.accepts(envelope.room())) {
            return CompletableFuture.failedFuture(new BusUnavailableException("Not connected to Redis"));
        }
        String orderKey = envelope.publisher() + '\n' + envelope.room();
        return lanes.publish(orderKey, RedisNames.roomChannel(envelope.room()), EnvelopeCodec.encode(envelope))
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        metrics.published();
                    }
                });
    }

    /**
     * Cached state, no I/O. {@code kind} is {@code redis} or {@code redis-cluster}; {@code state}
     * is {@code connected} (up: every shard's last probe came back), {@code unverified}
     * (connected, a probe outstanding or missed, or a room following a moved slot),
     * {@code connecting}, {@code reconnecting} or {@code closed}.
     */
    @Override
    public BusHealth health() {
        Subscriptions current = subscriptions;
        String kind = connections.sharded() ? "redis-cluster" : "redis";
        String state = current == null ? "connecting" : current.state();
        return new BusHealth("connected".equals(state), kind, state);
    }

    /** Idempotent: the registry closes the bus it started, and the container destroys the bean. */
    @Override
    @PreDestroy
    public void close() {
        Subscriptions current = subscriptions;
        if (current == null || !closed.compareAndSet(false, true)) {
            return;
        }
        probing.cancel(false);
        try {
            current.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onChannelMessage(String channel, String payload) {
        metrics.received();
        listener.onMessage(EnvelopeCodec.decode(payload));
    }
}
