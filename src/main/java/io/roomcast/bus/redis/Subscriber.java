package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * One shard's subscriber connection (one Redis is one shard) and the loop that reads it, on
 * one thread from the given factory (a Liberty-managed one in the server). It subscribes to
 * its probe channel, then to each wanted room of the shard, one command each (SSUBSCRIBE takes
 * channels of one slot only). When the connection drops it waits a capped, jittered backoff,
 * lets its owner move rooms whose slot moved ({@link Events#keep}), and connects again with
 * every room still here, so no client has to act. Its own {@link Probe} proves the shard's
 * path end to end: publish through the pool, receive here.
 *
 * <p>{@link #subscribe}, {@link #add} and {@link #unsubscribe} are called from any thread;
 * writes to the connection are serialized, and a subscribe's future completes only after
 * Redis confirmed it, so a message published after a {@code joined} reply cannot miss this node.
 * A subscribe Redis refuses (sent on a stale slot map) fails its future, or moves that one room
 * ({@link Events#moved}); the connection and its other rooms go on.
 */
final class Subscriber {

    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);

    /** The connection's life, as a word operators see in health and stats. */
    enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    /** What a subscriber asks of its owner; all on the subscriber's loop thread. */
    interface Events {

        /** A room message; must not block. */
        void message(String channel, String payload);

        /** The connection (re)subscribed its probe channel. */
        void connected(Subscriber subscriber);

        /**
         * Redis dropped wanted {@code room} unasked, or refused to resubscribe it: its slot moved
         * to another shard, {@code to} when Redis said which (MOVED), else null.
         */
        void moved(Subscriber subscriber, String room, HostAndPort to);

        /** Redis confirmed {@code room}'s subscription, sent without a caller waiting (a resubscribe, a moved room). */
        void resubscribed(Subscriber subscriber, String room);

        /** Between reconnect attempts: moves rooms away as the slot map says; false ends the loop. */
        boolean keep(Subscriber subscriber);

        /** The probe channel to use on {@code shard} now. */
        String probeChannel(HostAndPort shard);

        /** Publishes probe {@code seq} on {@code channel} through the publishing pool. */
        void sendProbe(String channel, long seq);
    }

    private final RedisConnections connections;
    private final HostAndPort shard;
    private final Events events;
    private final Probe probe;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private final Backoff backoff = new Backoff(BACKOFF_BASE, BACKOFF_CAP);
    private volatile State state = State.CONNECTING;
    private volatile PubSubConnection current;
    private volatile PubSubConnection connection;
    private volatile String probeChannel = "";
    private volatile boolean running = true;
    private volatile boolean everVerified;
    private volatile Thread thread;

    Subscriber(RedisConnections connections, HostAndPort shard, Events events, Probe.Timing probeTiming) {
        this.connections = connections;
        this.shard = shard;
        this.events = events;
        this.probe = new Probe(seq -> events.sendProbe(probeChannel, seq), this::probeMissed,
                probeTiming);
    }

    void start(ThreadFactory threads) {
        Thread loop = threads.newThread(this::loop);
        loop.setName("roomcast-redis-subscriber " + shard);
        thread = loop;
        loop.start();
    }

    HostAndPort shard() {
        return shard;
    }

    State state() {
        return state;
    }

    /** Connected and the last probe came back. */
    boolean verified() {
        return state == State.CONNECTED && probe.healthy();
    }

    /** A probe came back on this shard at least once (its first connection is not still being made). */
    boolean everVerified() {
        return everVerified;
    }

    /** Completes when this shard's probe next comes back (at once while it is proven). */
    CompletableFuture<Void> proven() {
        return probe.proven();
    }

    /** The rooms this shard's connection carries (a live view). */
    Set<String> rooms() {
        return rooms;
    }

    /**
     * Sends (S)SUBSCRIBE for {@code room}'s channel (at once when connected, else with the
     * connection being made); the future completes on the loop thread when Redis confirms it,
     * or fails at once while the shard is lost. The caller bounds the wait; a failed (or
     * timed-out) subscription is no longer wanted, so a late confirmation undoes it.
     */
    CompletableFuture<Void> subscribe(String room) {
        if (state == State.RECONNECTING || state == State.CLOSED) {
            return CompletableFuture.failedFuture(new BusUnavailableException("Not connected to Redis " + shard));
        }
        String channel = RedisNames.roomChannel(room);
        CompletableFuture<Void> confirmed = confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
        confirmed.whenComplete((ok, failure) -> {
            confirmations.remove(channel, confirmed);
            if (failure != null) {
                rooms.remove(room);
            }
        });
        try {
            add(room);
        } catch (RuntimeException e) {
            confirmed.completeExceptionally(new BusUnavailableException("Cannot subscribe " + room + ": " + e.getMessage(), e));
        }
        return confirmed;
    }

    /**
     * Wants {@code room} here without waiting: subscribed now when connected, else by the next
     * connection (which subscribes every room in the set once its probe channel is confirmed).
     */
    void add(String room) {
        rooms.add(room);
        if (current != null) {
            send(channels -> channels.subscribe(RedisNames.roomChannel(room)));
        }
    }

    /**
     * Stops receiving {@code room}; without a connection there is nothing to undo. A subscribe of
     * the same room may follow at once: Redis's reply to this one is told apart from a move.
     */
    void unsubscribe(String room) {
        rooms.remove(room);
        try {
            send(channels -> channels.unsubscribe(RedisNames.roomChannel(room)));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Unsubscribe of " + room + " not sent; the next connection will not have it", e);
        }
    }

    /** Forgets {@code room} without telling Redis (its slot moved away); true when it was here. */
    boolean drop(String room) {
        return rooms.remove(room);
    }

    /** Runs the probe: declares an overdue one missed, or sends the next. Scheduler thread. */
    void tick() {
        if (state == State.CONNECTED) {
            probe.tick();
        }
    }

    /** After a (re)connection: unproven until a probe comes back. */
    void restartProbe() {
        probe.restart();
    }

    /** Drops the connection so that the loop connects and subscribes again (after a missed probe). */
    void reconnect() {
        PubSubConnection open = connection;
        if (open != null) {
            open.disconnect();
        }
    }

    /** Ends the loop and closes the connection; returns when the thread has ended (or after 5 s). */
    void close() throws InterruptedException {
        running = false;
        state = State.CLOSED;
        reconnect();
        Thread loop = thread;
        if (loop != null && loop != Thread.currentThread()) {
            loop.interrupt();
            loop.join(5_000);
        }
    }

    private void send(Consumer<PubSubConnection> command) {
        PubSubConnection open = current;
        if (open == null) {
            throw new BusUnavailableException("Not connected to Redis " + shard);
        }
        command.accept(open);
    }

    private void probeMissed() {
        if (state == State.CONNECTED) {
            LOG.log(Level.WARNING, "Redis probe on " + shard + " did not come back; subscribing again");
            reconnect();
        }
    }

    private void loop() {
        while (running) {
            try (PubSubConnection opened = connections.dedicated(shard)) {
                connection = opened;
                probeChannel = events.probeChannel(shard);
                opened.subscribe(probeChannel);
                opened.read(new Replies(opened));
            } catch (RuntimeException e) {
                // One warning per outage, not one per reconnect attempt.
                boolean firstFailure = state != State.RECONNECTING;
                LOG.log(running && firstFailure ? Level.WARNING : Level.FINE,
                        "Redis subscriber connection to " + shard + " lost, reconnecting: " + e.getMessage());
            } finally {
                current = null;
                connection = null;
                probe.lost();
            }
            if (running) {
                state = State.RECONNECTING;
                pause();
                running = running && keep();
            }
        }
        state = State.CLOSED;
    }

    private boolean keep() {
        try {
            return events.keep(this);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Redis slot map not read; trying " + shard + " again", e);
            return true;
        }
    }

    private void pause() {
        try {
            Thread.sleep(backoff.next().toMillis()); // reconnect backoff: waiting is the point
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    /** What one connection's replies mean to this subscriber; on the loop thread. */
    private final class Replies implements PubSubConnection.Replies {

        private final PubSubConnection opened;

        Replies(PubSubConnection opened) {
            this.opened = opened;
        }

        @Override
        public void subscribed(String channel) {
            if (channel.equals(probeChannel)) {
                if (state == State.RECONNECTING) {
                    LOG.info("Redis subscriber connected to " + shard + " again; resubscribing " + rooms.size() + " rooms");
                }
                current = opened;
                state = State.CONNECTED;
                backoff.reset();
                // A room added meanwhile is subscribed here or by add() itself (current is set): twice is harmless.
                rooms.forEach(room -> opened.subscribe(RedisNames.roomChannel(room)));
                events.connected(Subscriber.this);
                return;
            }
            CompletableFuture<Void> waiting = confirmations.get(channel);
            String room = RedisNames.roomOf(channel);
            if (waiting != null) {
                waiting.complete(null);
            } else if (room != null && !rooms.contains(room)) {
                opened.unsubscribe(channel); // wanted when it was sent, given up since
            } else if (room != null) {
                events.resubscribed(Subscriber.this, room);
            }
        }

        @Override
        public void unsubscribed(String channel, boolean asked) {
            if (asked) {
                return; // ours: a rejoin's subscribe may already be queued behind it
            }
            String room = RedisNames.roomOf(channel);
            if (room != null && rooms.remove(room)) {
                events.moved(Subscriber.this, room, null); // Redis dropped it: its slot moved
            } else if (channel.equals(probeChannel) && running) {
                reconnect(); // the probe's slot moved: connect again with a probe channel of this shard
            }
        }

        @Override
        public void refused(String channel, boolean subscribe, JedisDataException error) {
            LOG.log(Level.FINE, "Redis " + shard + " refused to " + (subscribe ? "" : "un") + "subscribe " + channel, error);
            if (!subscribe) {
                return; // not subscribed here in the first place
            }
            if (channel.equals(probeChannel)) {
                reconnect(); // sent on a stale slot map: connect again with a probe channel of this shard
                return;
            }
            String room = RedisNames.roomOf(channel);
            CompletableFuture<Void> waiting = confirmations.get(channel);
            if (waiting != null) {
                waiting.completeExceptionally(new BusUnavailableException("Redis " + shard + " refused room " + room
                        + ": " + error.getMessage(), error)); // the caller sends it where the slot is now
            } else if (room != null && rooms.remove(room)) {
                HostAndPort to = error instanceof JedisRedirectionException moved ? moved.getTargetNode() : null;
                events.moved(Subscriber.this, room, to); // only this room moves; the connection goes on
            }
        }

        @Override
        public void message(String channel, String payload) {
            try {
                if (channel.equals(probeChannel)) {
                    probe.received(Long.parseLong(payload));
                    if (probe.healthy()) {
                        everVerified = true;
                        connections.reached(shard); // publishes to the shard go out again at once
                    }
                } else {
                    events.message(channel, payload);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Dropped a bus message on " + channel, e);
            }
        }
    }
}
