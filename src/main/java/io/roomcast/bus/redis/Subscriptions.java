package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;

/**
 * The node's subscriptions, one {@link Subscriber} per shard it uses: the shard of each room
 * with a local member, plus its home shard (the one holding its heartbeat) so that an idle node
 * still proves its Redis path. With one Redis that is one subscriber, as before clusters.
 *
 * <p>Rooms follow the cluster by themselves: when Redis drops a room's shard channel (its slot
 * migrated) the room is subscribed again where the slot map now puts it; when a shard's
 * connection fails (a primary died) its subscriber, between reconnect attempts, reads the slot
 * map again and hands rooms whose slot now belongs to another primary (the promoted replica)
 * to that primary's subscriber. Until every subscriber is connected and its probe came back,
 * {@link #state()} is not {@code connected}. A shard's connection stays open while the node
 * runs (at most one per primary), so a room joining a known shard never waits for a probe; the
 * first room on a new shard waits for that shard's first probe.
 *
 * <p>Moves take this object's lock; joins and leaves do not (they must not wait for a move).
 * A leave racing a move can leave the room subscribed on its new shard, costing only traffic
 * the registry drops, until the room's next leave.
 */
final class Subscriptions implements Subscriber.Events {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    private static final long MOVE_RETRY_MILLIS = 200;
    private static final long START_RETRY_MILLIS = 1_000;

    private final RedisConnections connections;
    private final String nodeId;
    private final BiConsumer<String, String> onMessage;
    private final ProbeSender probes;
    private final ScheduledExecutorService executor;
    private final ThreadFactory threads;
    private final Probe.Timing probeTiming;
    private final Map<HostAndPort, Subscriber> shards = new ConcurrentHashMap<>();
    private final Map<String, Subscriber> placement = new ConcurrentHashMap<>();
    private final Set<String> moving = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Publishes one probe; the bus sends it through its publishing lanes. */
    interface ProbeSender {
        void send(String channel, long seq);
    }

    /** What the subscriptions need from the bus, in one place. */
    record Setup(String nodeId, ProbeSender probes, Probe.Timing probeTiming, ThreadFactory threads) {
    }

    /** @param onMessage (channel, payload) of every room message, on a subscriber thread; must not block */
    Subscriptions(RedisConnections connections, Setup setup, BiConsumer<String, String> onMessage,
                  ScheduledExecutorService executor) {
        this.connections = connections;
        this.nodeId = setup.nodeId();
        this.probes = setup.probes();
        this.probeTiming = setup.probeTiming();
        this.threads = setup.threads();
        this.onMessage = onMessage;
        this.executor = executor;
    }

    /** Connects the home shard's subscriber; retried every second while no Redis answers. */
    void start() {
        if (closed) {
            return;
        }
        try {
            shardFor(home());
        } catch (RuntimeException noClusterYet) {
            LOG.log(Level.WARNING, "Redis not reachable at start-up, trying again: " + noClusterYet.getMessage());
            try {
                executor.schedule(this::start, START_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the node stops
            }
        }
    }

    /** Subscribes {@code room} on its shard; the future completes when Redis confirmed it and the shard is proven. */
    CompletableFuture<Void> subscribe(String room) {
        Subscriber subscriber;
        try {
            subscriber = shardFor(connections.shardOf(RedisNames.roomChannel(room)));
        } catch (RuntimeException e) { // no primary owns the slot, or the bus is closed
            return CompletableFuture.failedFuture(new BusUnavailableException("Cannot subscribe " + room + ": " + e.getMessage(), e));
        }
        placement.put(room, subscriber);
        CompletableFuture<Void> confirmed = subscriber.subscribe(room);
        // A shard new to this node is joined once its probe came back too, so a join never
        // reports success (nor health unverified) over a path not yet proven; known shards: at once.
        CompletableFuture<Void> joined = confirmed.thenCompose(ok -> subscriber.proven());
        joined.whenComplete((ok, failure) -> {
            if (failure != null) {
                confirmed.completeExceptionally(failure); // still unconfirmed: a late confirmation undoes it
                placement.remove(room, subscriber);
            }
        });
        return joined;
    }

    void unsubscribe(String room) {
        moving.remove(room);
        Subscriber subscriber = placement.remove(room);
        if (subscriber != null) {
            subscriber.unsubscribe(room);
        }
    }

    /**
     * Whether a publish to {@code room} can go out now: false while the room is moving or the
     * shard's subscriber is not connected (fail fast: the publisher hears {@code unavailable}).
     */
    boolean accepts(String room) {
        if (shards.isEmpty() || moving.contains(room)) {
            return false; // not even the home shard yet: no slot map to route by
        }
        try {
            Subscriber subscriber = shards.get(connections.shardOf(RedisNames.roomChannel(room)));
            // A shard this node does not subscribe to: try, a failure is reported to the publisher.
            return subscriber == null || subscriber.state() == Subscriber.State.CONNECTED;
        } catch (BusUnavailableException noOwner) {
            return false;
        }
    }

    /**
     * One word for health: {@code closed}, else the worst subscriber state ({@code reconnecting},
     * {@code connecting}), else {@code unverified} while a probe is outstanding or a room moves,
     * else {@code connected}.
     */
    String state() {
        if (closed) {
            return "closed";
        }
        if (shards.isEmpty()) {
            return "connecting";
        }
        Subscriber.State worst = Subscriber.State.CONNECTED;
        boolean verified = moving.isEmpty();
        for (Subscriber subscriber : shards.values()) {
            Subscriber.State state = subscriber.state();
            if (state != Subscriber.State.CONNECTED && (worst == Subscriber.State.CONNECTED || state == Subscriber.State.RECONNECTING)) {
                worst = state;
            }
            verified &= subscriber.verified();
        }
        if (worst != Subscriber.State.CONNECTED) {
            return worst.name().toLowerCase(Locale.ROOT);
        }
        return verified ? "connected" : "unverified";
    }

    /** Number of shards with a subscriber connection (for stats). */
    int shardCount() {
        return shards.size();
    }

    /** Runs every shard's probe; scheduler thread. */
    void tick() {
        shards.values().forEach(Subscriber::tick);
    }

    void close() throws InterruptedException {
        closed = true;
        for (Subscriber subscriber : shards.values()) {
            subscriber.close();
        }
    }

    @Override
    public void message(String channel, String payload) {
        onMessage.accept(channel, payload);
    }

    @Override
    public void connected(Subscriber subscriber) {
        // Not on the subscriber thread: closing dead sockets may wait, and so may the probe's publish.
        executeOrSkip(() -> {
            connections.discardIdle(subscriber.shard());
            subscriber.restartProbe();
        });
    }

    @Override
    public void moved(Subscriber from, String room) {
        if (placement.remove(room, from)) {
            moving.add(room);
            LOG.info("Redis moved the slot of room " + room + " away from " + from.shard() + "; following it");
            executeOrSkip(() -> follow(room));
        }
    }

    @Override
    public boolean keep(Subscriber subscriber) {
        if (closed) {
            return false;
        }
        connections.refresh(); // I/O: outside the lock
        synchronized (this) {
            return rehome(subscriber);
        }
    }

    /** Hands {@code subscriber}'s rooms whose slot moved to their new shard; false when it is not needed any more. */
    private boolean rehome(Subscriber subscriber) {
        HostAndPort home = home();
        shardFor(home);
        HostAndPort shard = subscriber.shard();
        for (String room : subscriber.rooms()) {
            HostAndPort owner = connections.shardOf(RedisNames.roomChannel(room));
            if (!owner.equals(shard) && subscriber.drop(room)) {
                Subscriber next = shardFor(owner);
                if (placement.replace(room, subscriber, next)) { // else the room was left meanwhile
                    next.add(room);
                }
            }
        }
        if (subscriber.rooms().isEmpty() && !shard.equals(home)) {
            shards.remove(shard, subscriber);
            LOG.info("Redis " + shard + " no longer owns slots of this node's rooms; its subscriber ends");
            return false;
        }
        return true;
    }

    @Override
    public String probeChannel(HostAndPort shard) {
        return RedisNames.probeChannel(nodeId, connections.tagOn(shard));
    }

    @Override
    public void sendProbe(String channel, long seq) {
        probes.send(channel, seq);
    }

    /** Subscribes a moved room where the (re-read) slot map puts it now; retried until it lands. */
    private void follow(String room) {
        try {
            connections.refresh();
            synchronized (this) {
                if (closed || !moving.contains(room)) {
                    return; // left meanwhile
                }
                Subscriber next = shardFor(connections.shardOf(RedisNames.roomChannel(room)));
                if (moving.remove(room)) { // an unsubscribe from now on finds the room at next
                    placement.put(room, next);
                    next.add(room);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Room " + room + " not resubscribed yet", e);
            try {
                executor.schedule(() -> follow(room), MOVE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // the node stops
            }
        }
    }

    /** The shard holding this node's heartbeat: subscribed even without rooms. */
    private HostAndPort home() {
        return connections.shardOf(RedisNames.heartbeatKey(nodeId));
    }

    private Subscriber shardFor(HostAndPort shard) {
        if (closed) {
            throw new BusUnavailableException("The Redis bus is closed");
        }
        return shards.computeIfAbsent(shard, s -> {
            Subscriber subscriber = new Subscriber(connections, s, this, probeTiming);
            subscriber.start(threads);
            return subscriber;
        });
    }

    private void executeOrSkip(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // the node stops
        }
    }
}
