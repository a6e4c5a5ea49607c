package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The node's one subscriber connection and the loop that reads it, on one thread from the
 * given factory (a Liberty-managed one in the server). The loop subscribes to the node's own
 * channel plus every wanted room; when the connection drops it waits a capped, jittered
 * backoff and connects again with every room that is still wanted, so no client has to act.
 *
 * <p>{@link #subscribe} and {@link #unsubscribe} are called from any thread; writes to the
 * connection are serialized, and a subscribe's future completes only after Redis confirmed it,
 * so a message published after a {@code joined} reply cannot miss this node.
 */
final class Subscriber {

    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());
    private static final Duration BACKOFF_BASE = Duration.ofMillis(100);
    private static final Duration BACKOFF_CAP = Duration.ofSeconds(2);

    /** The connection's life, as a word operators see in health and stats. */
    enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    private final RedisConnections connections;
    private final String nodeChannel;
    private final BiConsumer<String, String> onMessage;
    private final Runnable onConnected;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<Void>> confirmations = new ConcurrentHashMap<>();
    private final Backoff backoff = new Backoff(BACKOFF_BASE, BACKOFF_CAP);
    private final Object writeLock = new Object();
    private volatile State state = State.CONNECTING;
    private volatile Listener current;
    private volatile Jedis connection;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param onMessage   (channel, payload) for every message, on the loop thread; must not block
     * @param onConnected after each (re)subscription of the node channel, on the loop thread
     */
    Subscriber(RedisConnections connections, String nodeChannel, BiConsumer<String, String> onMessage,
               Runnable onConnected) {
        this.connections = connections;
        this.nodeChannel = nodeChannel;
        this.onMessage = onMessage;
        this.onConnected = onConnected;
    }

    void start(ThreadFactory threads) {
        thread = threads.newThread(this::loop);
        thread.setName("roomcast-redis-subscriber");
        thread.start();
    }

    State state() {
        return state;
    }

    /**
     * Sends SUBSCRIBE for {@code room}'s channel; the future completes on the loop thread when
     * Redis confirms it, or fails at once without a connection. The caller bounds the wait; a
     * failed (or timed-out) subscription is no longer wanted, so a late confirmation undoes it.
     */
    CompletableFuture<Void> subscribe(String room) {
        String channel = RedisNames.roomChannel(room);
        rooms.add(room);
        CompletableFuture<Void> confirmed = confirmations.computeIfAbsent(channel, c -> new CompletableFuture<>());
        confirmed.whenComplete((ok, failure) -> {
            confirmations.remove(channel, confirmed);
            if (failure != null) {
                rooms.remove(room);
            }
        });
        try {
            send(listener -> listener.subscribe(channel));
        } catch (RuntimeException e) {
            confirmed.completeExceptionally(new BusUnavailableException("Cannot subscribe " + room + ": " + e.getMessage(), e));
        }
        return confirmed;
    }

    /** Stops receiving {@code room}; without a connection there is nothing to undo. */
    void unsubscribe(String room) {
        rooms.remove(room);
        try {
            send(listener -> listener.unsubscribe(RedisNames.roomChannel(room)));
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Unsubscribe of " + room + " not sent; the next connection will not have it", e);
        }
    }

    /** Drops the connection so that the loop connects and subscribes again (after a missed probe). */
    void reconnect() {
        Jedis open = connection;
        if (open != null) {
            open.disconnect();
        }
    }

    /** Ends the loop and closes the connection; returns when the thread has ended (or after 5 s). */
    void close() throws InterruptedException {
        running = false;
        state = State.CLOSED;
        reconnect();
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private void send(Consumer<Listener> command) {
        Listener listener = current;
        if (listener == null) {
            throw new BusUnavailableException("Not connected to Redis");
        }
        synchronized (writeLock) {
            command.accept(listener);
        }
    }

    private void loop() {
        while (running) {
            try (Jedis jedis = connections.dedicated()) {
                connection = jedis;
                jedis.subscribe(new Listener(), channels());
            } catch (RuntimeException e) {
                // One warning per outage, not one per reconnect attempt.
                boolean firstFailure = state != State.RECONNECTING;
                LOG.log(running && firstFailure ? Level.WARNING : Level.FINE,
                        "Redis subscriber connection lost, reconnecting: " + e.getMessage());
            } finally {
                current = null;
                connection = null;
            }
            if (running) {
                state = State.RECONNECTING;
                pause();
            }
        }
        state = State.CLOSED;
    }

    private String[] channels() {
        List<String> channels = new ArrayList<>(rooms.size() + 1);
        channels.add(nodeChannel);
        rooms.forEach(room -> channels.add(RedisNames.roomChannel(room)));
        return channels.toArray(String[]::new);
    }

    private void pause() {
        try {
            Thread.sleep(backoff.next().toMillis()); // reconnect backoff: waiting is the point
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    /** Jedis callbacks, all on the loop thread. */
    private final class Listener extends JedisPubSub {

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (channel.equals(nodeChannel)) {
                if (state == State.RECONNECTING) {
                    LOG.info("Redis subscriber connected again; resubscribed " + rooms.size() + " rooms");
                }
                current = this;
                state = State.CONNECTED;
                backoff.reset();
                onConnected.run();
                return;
            }
            CompletableFuture<Void> waiting = confirmations.get(channel);
            String room = RedisNames.roomOf(channel);
            if (waiting != null) {
                waiting.complete(null);
            } else if (room != null && !rooms.contains(room)) {
                synchronized (writeLock) {
                    unsubscribe(channel); // wanted when this connection began, given up since
                }
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            try {
                onMessage.accept(channel, message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Dropped a bus message on " + channel, e);
            }
        }
    }
}
