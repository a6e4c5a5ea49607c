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
import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 * threads (never the caller's).</li>
 * <li>Failure: while the subscriber is disconnected, {@link #publish} and {@link #subscribe}
 * fail at once with {@link BusUnavailableException}; the subscriber reconnects with a capped,
 * jittered backoff and resubscribes every room that still has members. A {@link Probe} on
 * the node channel proves the path every {@code roomcast.redis.probe-interval-ms}; a probe
 * not back within two intervals (at least {@code roomcast.redis.timeout-ms}) makes
 * {@link #health()} report down and forces a resubscribe.</li>
 * </ul>
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisMessageBus implements MessageBus {

    private static final Logger LOG = Logger.getLogger(RedisMessageBus.class.getName());
    /** Messages waiting per lane before publishes are refused (bounds memory when Redis is slow). */
    private static final int MAX_QUEUED_PER_LANE = 10_000;
    /** Connections reading history at once, out of the pool's spares beyond the lanes. */
    private static final int HISTORY_READERS = 2;
    /** The room channel's publish command inside the publish script ({@code SPUBLISH} on a cluster). */
    private static final String PUBLISH_COMMAND = "PUBLISH";

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

    private PublishLanes lanes;
    private Subscriber subscriber;
    private Probe probe;
    private ScheduledFuture<?> probing;
    private ScheduledExecutorService executor;
    private volatile BusListener listener = envelope -> { };
    /** Null when history is off ({@code roomcast.history.size=0}): publishes are plain PUBLISHes. */
    private RoomHistory history;
    private HistoryReads reads;

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
            history = new RoomHistory(config.historySize(), config.historyTtl().toSeconds(), PUBLISH_COMMAND);
            reads = new HistoryReads(history, connections, executor, HISTORY_READERS);
        }
        String nodeChannel = RedisNames.nodeChannel(config.nodeId());
        lanes = new PublishLanes(config.redisPublishLanes(), MAX_QUEUED_PER_LANE, connections, executor);
        probe = new Probe(seq -> lanes.publish(nodeChannel, nodeChannel, Long.toString(seq)),
                this::probeMissed, config.redisProbeInterval(), config.redisTimeout());
        subscriber = new Subscriber(connections, nodeChannel, this::onChannelMessage, this::onSubscribed);
        subscriber.start(threadFactory);
        long interval = config.redisProbeInterval().toMillis();
        probing = executor.scheduleWithFixedDelay(probe::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Sends SUBSCRIBE; the stage completes on the subscriber thread when Redis confirms it. */
    @Override
    public CompletionStage<Void> subscribe(String room) {
        CompletableFuture<Void> confirmed = subscriber.subscribe(room);
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
        subscriber.unsubscribe(room);
    }

    @Override
    public CompletionStage<Position> publish(Envelope envelope) {
        if (subscriber.state() != Subscriber.State.CONNECTED) {
            return CompletableFuture.failedFuture(new BusUnavailableException("Not connected to Redis"));
        }
        String orderKey = envelope.publisher() + '\n' + envelope.room();
        CompletableFuture<Position> sent = history == null
                ? lanes.publish(orderKey, RedisNames.roomChannel(envelope.room()), EnvelopeCodec.encode(envelope))
                : lanes.run(orderKey, history.publishScript(), RoomHistory.publishKeys(envelope.room()),
                        history.publishArgs(envelope));
        return sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.published();
            }
        });
    }

    @Override
    public CompletionStage<History> history(String room, HistoryQuery query) {
        if (history == null) {
            return CompletableFuture.completedFuture(History.NONE);
        }
        return reads.read(room, query);
    }

    /**
     * Cached state, no I/O. {@code state} is {@code connected} (up: the last probe came back),
     * {@code unverified} (connected, probe outstanding or missed), {@code connecting},
     * {@code reconnecting} or {@code closed}.
     */
    @Override
    public BusHealth health() {
        Subscriber.State state = subscriber == null ? Subscriber.State.CONNECTING : subscriber.state();
        if (state != Subscriber.State.CONNECTED) {
            return new BusHealth(false, "redis", state.name().toLowerCase(Locale.ROOT));
        }
        return probe.healthy() ? new BusHealth(true, "redis", "connected") : new BusHealth(false, "redis", "unverified");
    }

    @Override
    @PreDestroy
    public void close() {
        if (subscriber == null) {
            return;
        }
        probing.cancel(false);
        try {
            subscriber.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onChannelMessage(String channel, String payload) {
        String room = RedisNames.roomOf(channel);
        if (room == null) {
            probe.received(Long.parseLong(payload));
            return;
        }
        metrics.received();
        listener.onMessage(EnvelopeCodec.decode(payload));
    }

    /**
     * The subscriber (re)connected: start from fresh publishing connections and prove the path.
     * Not on the subscriber thread: closing dead sockets may wait, and so may the probe's PUBLISH.
     */
    private void onSubscribed() {
        executor.execute(() -> {
            connections.discardIdle();
            probe.restart();
        });
    }

    private void probeMissed() {
        if (subscriber.state() == Subscriber.State.CONNECTED) {
            LOG.log(Level.WARNING, "Redis probe did not come back; subscribing again");
            subscriber.reconnect();
        }
    }
}
