package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * The node's subscriptions, as the bus sees them: a room is subscribed on the subscriber of the
 * shard that owns its slot ({@link ShardSubscribers}, {@link RoomPlacement}), follows its slot
 * when it moves ({@link SlotMoves}), and the bus's state is the worst of every shard's
 * ({@link SubscriptionHealth}). With one Redis there is one shard, as before clusters. Until
 * every subscriber is connected and its probe came back, {@link #state()} is not
 * {@code connected}; the first room on a new shard waits for that shard's first probe.
 */
final class Subscriptions implements Subscriber.Events {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    private static final long START_RETRY_MILLIS = 1_000;
    /** Subscribes refused for a stale slot map, each followed by a map read, before a join fails. */
    private static final int MAX_REDIRECTS = 3;

    private final RedisConnections connections;
    private final String nodeId;
    private final BiConsumer<String, String> onMessage;
    private final ProbeSender probes;
    private final ScheduledExecutorService executor;
    private final ShardSubscribers shards;
    private final RoomPlacement placement = new RoomPlacement();
    private final SlotMoves moves;
    private final MoveRecovery recovery;

    /** Publishes one probe; the bus sends it through its publishing lanes. */
    interface ProbeSender {
        void send(String channel, long seq);
    }

    /** What the subscriptions need from the bus, in one place. */
    record Setup(String nodeId, ProbeSender probes, Probe.Timing probeTiming, ThreadFactory threads, MoveRecovery recovery) {
    }

    /** @param onMessage (channel, payload) of every room message, on a subscriber thread; must not block */
    Subscriptions(RedisConnections connections, Setup setup, BiConsumer<String, String> onMessage,
                  ScheduledExecutorService executor) {
        this.connections = connections;
        this.recovery = setup.recovery();
        this.nodeId = setup.nodeId();
        this.probes = setup.probes();
        this.onMessage = onMessage;
        this.executor = executor;
        this.shards = new ShardSubscribers(connections, setup, this);
        this.moves = new SlotMoves(connections, shards, placement, executor);
    }

    /** Connects the home shard's subscriber; retried every second while no Redis answers. */
    void start() {
        if (shards.closed()) {
            return;
        }
        try {
            shards.of(shards.home());
        } catch (RuntimeException noClusterYet) {
            LOG.log(Level.WARNING, "Redis not reachable at start-up, trying again: " + noClusterYet.getMessage());
            schedule(this::start, START_RETRY_MILLIS);
        }
    }

    /**
     * Subscribes {@code room} on its shard; the future completes when Redis confirmed it and the
     * shard is proven. A subscribe refused for a stale slot map is sent again where the re-read
     * map puts the room. Failing (or failing the future) undoes the subscription.
     */
    CompletableFuture<Void> subscribe(String room) {
        recovery.forget(room); // what a late message of its last subscription left
        CompletableFuture<Void> joined = new CompletableFuture<>();
        attempt(room, joined, MAX_REDIRECTS);
        return joined;
    }

    private void attempt(String room, CompletableFuture<Void> joined, int redirects) {
        Subscriber subscriber;
        try {
            subscriber = shards.of(connections.shardOf(RedisNames.roomChannel(room)));
        } catch (RuntimeException e) { // no primary owns the slot, or the bus is closed
            joined.completeExceptionally(new BusUnavailableException("Cannot subscribe " + room + ": " + e.getMessage(), e));
            return;
        }
        placement.place(room, subscriber);
        CompletableFuture<Void> confirmed = subscriber.subscribe(room);
        joined.whenComplete((ok, failure) -> {
            if (failure != null) {
                confirmed.completeExceptionally(failure); // given up (a timeout): a late confirmation undoes it
            }
        });
        // A shard new to this node is joined once its probe came back too, so a join never
        // reports success (nor health unverified) over a path not yet proven; known shards: at once.
        confirmed.thenCompose(ok -> subscriber.proven()).whenComplete((ok, failure) -> {
            if (failure == null) {
                joined.complete(null);
                return;
            }
            confirmed.completeExceptionally(failure);
            placement.unplace(room, subscriber);
            if (redirects > 0 && redirected(failure) && !joined.isDone()) {
                execute(() -> {
                    connections.refresh(); // I/O: on an executor thread, not the subscriber's
                    attempt(room, joined, redirects - 1);
                });
            } else {
                joined.completeExceptionally(failure);
            }
        });
    }

    private static boolean redirected(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JedisRedirectionException) {
                return true;
            }
        }
        return false;
    }

    void unsubscribe(String room) {
        recovery.forget(room);
        Subscriber subscriber = placement.leave(room);
        if (subscriber != null) {
            subscriber.unsubscribe(room);
        }
    }

    /**
     * Whether a publish to {@code room} can go out now: false while the shard's subscriber is not
     * connected, and, without history, while the room is moving (fail fast: the publisher hears
     * {@code unavailable}). With history a moving room's messages are recovered after the move.
     */
    boolean accepts(String room) {
        if (shards.all().isEmpty()) {
            return false; // not even the home shard yet: no slot map to route by
        }
        if (placement.isMoving(room) && !recovery.recovers()) {
            return false;
        }
        try {
            Subscriber subscriber = shards.find(connections.shardOf(RedisNames.roomChannel(room)));
            // A shard this node does not subscribe to, or whose first connection is being made: try,
            // a failure is reported to the publisher. A shard whose connection was lost: refuse at once.
            return subscriber == null || subscriber.state() == Subscriber.State.CONNECTED
                    || subscriber.state() == Subscriber.State.CONNECTING;
        } catch (BusUnavailableException noOwner) {
            return false;
        }
    }

    /** One word for health ({@link SubscriptionHealth}). */
    String state() {
        return SubscriptionHealth.state(shards.closed(), shards.all());
    }

    /** Runs every shard's probe; scheduler thread. */
    void tick() {
        shards.all().forEach(Subscriber::tick);
    }

    void close() throws InterruptedException {
        shards.close();
    }

    @Override
    public void message(String channel, String payload) {
        onMessage.accept(channel, payload);
    }

    @Override
    public void connected(Subscriber subscriber) {
        // Not on the subscriber thread: closing dead sockets may wait, and so may the probe's publish.
        execute(() -> {
            connections.discardIdle(subscriber.shard());
            subscriber.restartProbe();
        });
    }

    @Override
    public void moved(Subscriber from, String room, HostAndPort to) {
        recovery.hold(room); // on from's thread: after every message it received of the room
        moves.moved(from, room, to);
    }

    @Override
    public void resubscribed(Subscriber subscriber, String room) {
        recovery.resume(room);
    }

    @Override
    public boolean keep(Subscriber subscriber) {
        return moves.keep(subscriber);
    }

    @Override
    public String probeChannel(HostAndPort shard) {
        return RedisNames.probeChannel(nodeId, connections.tagOn(shard));
    }

    @Override
    public void sendProbe(String channel, long seq) {
        probes.send(channel, seq);
    }

    private void execute(Runnable task) {
        schedule(task, 0);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the node stops
        }
    }
}
