package io.roomcast.bus.redis;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusMetrics;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PresenceSignal;
import io.roomcast.bus.PublishKey;
import io.roomcast.concurrent.Periodic;
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
import java.util.function.Consumer;

/**
 * The cluster bus over Redis pub/sub, chosen when {@code roomcast.redis.url} is set.
 *
 * <ul>
 * <li>Routing: each room is the channel {@code roomcast:{<room>}} (RedisNames); a node subscribes to it
 * only while the room has a local member, so a node never sees traffic of rooms it does not
 * serve (no pattern subscriptions).</li>
 * <li>Order: publishes go through {@link PublishLanes}, which keeps one publisher's messages
 * to one room on one connection. With history on, every publish is one script run
 * ({@link RoomHistory}) that assigns the room's next offset and publishes in the same atomic
 * step, so the offsets are the one order in which every node receives the room's messages.
 * Local members are reached through Redis too (the registry always goes through the bus), so
 * local and remote members see the same order, and each node receives a message once, from
 * its one subscription.</li>
 * <li>History reads are one script run each, pipelined by {@link HistoryReads} on executor
 * threads (never the caller's), one pipeline per shard.</li>
 * <li>Failure: while a shard's subscriber is disconnected, {@link #publish} to its rooms and
 * {@link #subscribe} fail at once with {@link BusUnavailableException}; the subscriber
 * reconnects with a capped, jittered backoff and resubscribes every room that still has
 * members. A {@link Probe} per shard proves the path every
 * {@code roomcast.redis.probe-interval-ms}; a probe not back within two intervals (at least
 * {@code roomcast.redis.timeout-ms}) makes {@link #health()} report down and forces a
 * resubscribe.</li>
 * <li>Redis Cluster ({@code redis-cluster://} URLs): room channels are shard channels
 * (SSUBSCRIBE/SPUBLISH, also inside the publish script, which runs on the room's slot), one
 * subscriber connection per shard in use; rooms follow slot migrations and failovers by
 * themselves ({@link Subscriptions}), publishes and reads follow MOVED, ASK and TRYAGAIN
 * ({@link Redirected}), and what a moved room missed is delivered from its history
 * ({@link MoveRecovery}).</li>
 * </ul>
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisMessageBus implements MessageBus {

    /** Messages waiting per lane before publishes are refused (bounds memory when Redis is slow). */
    private static final int MAX_QUEUED_PER_LANE = 10_000;
    /** Connections reading history at once, out of the pool's spares beyond the lanes. */
    private static final int HISTORY_READERS = 2;

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
    private volatile ScheduledExecutorService executor;
    private volatile BusListener listener = envelope -> { };
    private volatile Consumer<PresenceSignal> presenceListener = signal -> { };
    /** Null when history is off ({@code roomcast.history.size=0}): publishes are plain PUBLISHes. */
    private volatile RoomHistory history;
    private volatile HistoryReads reads;
    private volatile MoveRecovery recovery;
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
        this.executor = executor;
        if (config.historyOn()) {
            history = new RoomHistory(config.historySize(), config.historyKeysPerRoom(), config.historyTtl().toSeconds(),
                    connections.publishCommand().name());
            reads = new HistoryReads(history, connections, executor, HISTORY_READERS);
        }
        PublishLanes publishing = new PublishLanes(config.redisPublishLanes(), MAX_QUEUED_PER_LANE, connections, executor);
        lanes = publishing;
        MoveRecovery delivery = new MoveRecovery(reads, config.historySize(), this::deliver);
        recovery = delivery;
        Subscriptions.Setup setup = new Subscriptions.Setup(config.nodeId(),
                (channel, seq) -> publishing.probe(channel, Long.toString(seq)),
                new Probe.Timing(config.redisProbeInterval(), config.redisTimeout()), threadFactory, delivery);
        Subscriptions subscribed = new Subscriptions(connections, setup, this::onChannelMessage, executor);
        subscriptions = subscribed;
        subscribed.start();
        long interval = config.redisProbeInterval().toMillis();
        // Guarded: a tick that threw would end the probes for good, and with them the bus's health.
        probing = Periodic.atFixedRate(executor, "Redis probe tick", interval, subscribed::tick, () -> { });
    }

    /** Sends (S)SUBSCRIBE; the stage completes on a subscriber thread when Redis confirms it. */
    @Override
    public CompletionStage<Void> subscribe(String room) {
        CompletableFuture<Void> confirmed = subscriptions.subscribe(room);
        if (!confirmed.isDone()) {
            ScheduledFuture<?> timeout = executor.schedule(() -> confirmed.completeExceptionally(
                    new BusUnavailableException("Redis did not confirm the subscription of " + room)),
                    config.redisTimeout().toMillis(), TimeUnit.MILLISECONDS);
            confirmed.whenComplete((ok, failure) -> timeout.cancel(false));
        }
        return confirmed;
    }

    @Override
    public void unsubscribe(String room) {
        subscriptions.unsubscribe(room);
    }

    @Override
    public CompletionStage<Position> publish(Envelope envelope, PublishKey key) {
        if (!subscriptions.accepts(envelope.room())) {
            return CompletableFuture.failedFuture(new BusUnavailableException("Not connected to Redis"));
        }
        String orderKey = envelope.publisher() + '\n' + envelope.room();
        RoomHistory rooms = history;
        CompletableFuture<Position> sent = rooms == null
                ? lanes.publish(orderKey, RedisNames.roomChannel(envelope.room()), EnvelopeCodec.encode(envelope))
                : lanes.run(orderKey, rooms.publishScript(), RoomHistory.publishKeys(envelope.room()),
                        rooms.publishArgs(envelope, key));
        return sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.published();
            }
        });
    }

    @Override
    public CompletionStage<History> history(String room, HistoryQuery query) {
        HistoryReads reader = reads;
        if (reader == null) {
            return CompletableFuture.completedFuture(History.NONE);
        }
        return reader.read(room, query);
    }

    /**
     * Cached state, no I/O. {@code kind} is {@code redis} or {@code redis-cluster}; {@code state}
     * is {@code connected} (up: every shard's last probe came back), {@code unverified}
     * (connected, a probe outstanding or missed),
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

    /** On the lane of the room's presence, so one node's presence events of a room keep their order. */
    @Override
    public void publishPresence(PresenceSignal signal) {
        Subscriptions current = subscriptions;
        if (current != null && current.accepts(signal.room())) {
            lanes.publish("presence\n" + signal.room(), RedisNames.roomChannel(signal.room()), PresenceCodec.encode(signal));
        }
    }

    @Override
    public void onPresence(Consumer<PresenceSignal> presenceListener) {
        this.presenceListener = presenceListener;
    }

    private void onChannelMessage(String channel, String payload) {
        if (PresenceCodec.isPresence(payload)) {
            presenceListener.accept(PresenceCodec.decode(payload));
            return;
        }
        recovery.received(EnvelopeCodec.decode(payload));
    }

    private void deliver(Envelope envelope) {
        metrics.received();
        listener.onMessage(envelope);
    }
}
