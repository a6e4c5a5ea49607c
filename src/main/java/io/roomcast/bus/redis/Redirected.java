package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisAskDataException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Sends a batch of commands as one pipeline per node, and sends again what Redis refused
 * without running it: {@code MOVED} (the slot has a new owner: to the node named, and the slot
 * map is read again), {@code ASK} (the slot is migrating and the keys are on the target already:
 * {@code ASKING} there), {@code TRYAGAIN} (a command of several keys while its slot migrates:
 * after a short pause) and {@code NOSCRIPT} (with the script's text). A refused command did not
 * run, so sending it again repeats nothing. When order matters, a refused command is not sent
 * again after a later command with the same key (the same room) ran, which would reorder them;
 * it fails instead.
 * Anything else (a lost connection, a read timeout: the command may have run) fails the
 * commands not answered yet. Refusals are followed for at most {@link #patience}, then fail.
 *
 * <p>A lost connection or a timeout also marks the node unreachable for a while
 * ({@link UnreachableShards}): until it answers again, the commands for it fail at once, unsent
 * (a probe excepted), so that a dead shard does not make every later batch wait out the timeout
 * before its other nodes' parts go out. Order per key holds: a command is failed, never put
 * back behind a later one.
 *
 * <p>Used by one thread at a time per batch; it may pause that thread for {@code TRYAGAIN}.
 *
 * @param <T> one command's item (a publish, a history read)
 */
final class Redirected<T> {

    private static final Duration PAUSE_BASE = Duration.ofMillis(5);
    private static final Duration PAUSE_CAP = Duration.ofMillis(100);

    /** How one kind of item is queued and answered. */
    interface Commands<T> {

        /** The key that decides the item's slot. */
        String key(T item);

        /** True when items with one key must run in the order given (publishes; not reads). */
        boolean ordered();

        /** Queues the item's command; with {@code scriptText}, a script as its whole text (EVAL). */
        Response<?> queue(Pipeline pipeline, T item, boolean scriptText);

        /** Hands Redis's answer to the item. */
        void settle(T item, Object reply);

        /** The item failed (it did not run, or may have: {@code cause} says). */
        void fail(T item, Exception cause);

        boolean settled(T item);

        /** True for the bus's probe of a shard: sent even to a node marked unreachable, to find it back. */
        default boolean probe(T item) {
            return false;
        }
    }

    /** Where and how an item goes next: {@code node} null means its slot's owner in the map. */
    private record Attempt(HostAndPort node, boolean asking, boolean scriptText, boolean pause) {

        static final Attempt FIRST = new Attempt(null, false, false, false);

        /** The next try after {@code refusal}; null when no retry gets past it. */
        Attempt after(RuntimeException refusal) {
            if (LuaScript.isNoScript(refusal)) {
                return new Attempt(node, asking, true, false);
            }
            if (refusal instanceof JedisRedirectionException redirect) {
                return new Attempt(redirect.getTargetNode(), redirect instanceof JedisAskDataException, scriptText, false);
            }
            String message = refusal.getMessage();
            return message != null && message.startsWith("TRYAGAIN") ? new Attempt(null, false, scriptText, true) : null;
        }
    }

    private record Try<T>(T item, Attempt attempt) {
    }

    private record Route(HostAndPort node, boolean asking) {
    }

    private final RedisConnections connections;
    private final Commands<T> commands;
    private final long patienceNanos;

    /**
     * How long refusals are followed: two command timeouts, longer than a slot's migration by
     * {@code redis-cli --cluster reshard} takes, short enough that a publisher hears
     * {@code unavailable} (nothing ran) rather than waiting on a migration stuck half-way.
     */
    static Duration patience(RedisConnections connections) {
        return Duration.ofMillis(connections.timeoutMillis()).multipliedBy(2);
    }

    Redirected(RedisConnections connections, Commands<T> commands, Duration patience) {
        this.connections = connections;
        this.commands = commands;
        this.patienceNanos = patience.toNanos();
    }

    /** Sends {@code items} (in order per key) until each is settled or failed. */
    void send(List<T> items) {
        List<Try<T>> left = items.stream().map(item -> new Try<>(item, Attempt.FIRST)).toList();
        long deadline = System.nanoTime() + patienceNanos;
        Backoff pause = new Backoff(PAUSE_BASE, PAUSE_CAP);
        while (true) {
            List<Try<T>> again = new ArrayList<>();
            try {
                route(left).forEach((route, part) -> again.addAll(send(route, part)));
            } catch (RuntimeException noOwner) { // no primary owns a slot: the cluster is down
                fail(left, noOwner);
                return;
            }
            left = again;
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail(left, new BusUnavailableException("Redis kept refusing while slots migrate"));
                return;
            }
            if (left.stream().anyMatch(t -> t.attempt().pause()) && !pause(pause)) {
                fail(left, new BusUnavailableException("Interrupted while Redis migrates a slot"));
                return;
            }
        }
    }

    private Map<Route, List<Try<T>>> route(List<Try<T>> tries) {
        Map<Route, List<Try<T>>> routes = new LinkedHashMap<>();
        for (Try<T> next : tries) {
            Attempt attempt = next.attempt();
            HostAndPort node = attempt.node() != null ? attempt.node() : connections.shardOf(commands.key(next.item()));
            routes.computeIfAbsent(new Route(node, attempt.asking()), r -> new ArrayList<>()).add(next);
        }
        return routes;
    }

    /** One pipeline to one node; returns the refusals to send again. */
    private List<Try<T>> send(Route route, List<Try<T>> all) {
        List<Try<T>> part = admitted(route.node(), all);
        if (part.isEmpty()) {
            return List.of();
        }
        boolean byMap = part.get(0).attempt().node() == null;
        try (Jedis jedis = byMap ? connections.borrow(route.node(), commands.key(part.get(0).item())) : connections.borrow(route.node())) {
            Pipeline pipeline = jedis.pipelined();
            List<Response<?>> replies = new ArrayList<>(part.size());
            for (Try<T> next : part) {
                if (route.asking()) {
                    pipeline.sendCommand(Protocol.Command.ASKING, new String[0]); // valid for the one command after it
                }
                replies.add(commands.queue(pipeline, next.item(), next.attempt().scriptText()));
            }
            pipeline.sync();
            connections.reached(route.node());
            return settle(part, replies);
        } catch (RuntimeException e) {
            if (e instanceof JedisConnectionException) { // not an exhausted pool: that is this node's own limit
                connections.unreachable(route.node());
            }
            connections.refresh(); // the shard may have failed over
            fail(part.stream().filter(t -> !commands.settled(t.item())).toList(), e);
            return List.of();
        }
    }

    /** {@code part}, or only its probes while {@code node} is marked unreachable: the rest fail unsent. */
    private List<Try<T>> admitted(HostAndPort node, List<Try<T>> part) {
        if (connections.admits(node)) {
            return part;
        }
        BusUnavailableException unsent = new BusUnavailableException("Redis " + node
                + " could not be reached lately; not sent");
        List<Try<T>> probes = new ArrayList<>();
        for (Try<T> next : part) {
            if (commands.probe(next.item())) {
                probes.add(next);
            } else {
                commands.fail(next.item(), unsent);
            }
        }
        return probes;
    }

    /**
     * Answers the items in the order they were sent (a publisher's acks follow its publishes),
     * after one backward look at the refusals: a refused item is sent again only when no later
     * item of its key ran.
     */
    private List<Try<T>> settle(List<Try<T>> part, List<Response<?>> replies) {
        Object[] answers = new Object[part.size()];
        RuntimeException[] refusals = new RuntimeException[part.size()];
        for (int i = 0; i < part.size(); i++) {
            try {
                answers[i] = replies.get(i).get();
            } catch (RuntimeException refusal) {
                refusals[i] = refusal;
            }
        }
        boolean[] ranLater = new boolean[part.size()];
        if (commands.ordered()) {
            Set<String> ran = new HashSet<>();
            for (int i = part.size() - 1; i >= 0; i--) {
                String key = commands.key(part.get(i).item());
                ranLater[i] = ran.contains(key);
                if (refusals[i] == null) {
                    ran.add(key);
                }
            }
        }
        List<Try<T>> retry = new ArrayList<>();
        for (int i = 0; i < part.size(); i++) {
            Try<T> sent = part.get(i);
            RuntimeException refusal = refusals[i];
            if (refusal == null) {
                commands.settle(sent.item(), answers[i]);
                continue;
            }
            if (refusal instanceof JedisMovedDataException) {
                connections.refresh(); // rate-limited; the retry goes where MOVED said meanwhile
            }
            Attempt next = ranLater[i] ? null : sent.attempt().after(refusal);
            if (next == null) {
                commands.fail(sent.item(), refusal);
            } else {
                retry.add(new Try<>(sent.item(), next));
            }
        }
        return retry;
    }

    private void fail(List<Try<T>> tries, Exception cause) {
        tries.forEach(t -> commands.fail(t.item(), cause));
    }

    private static boolean pause(Backoff pause) {
        try {
            Thread.sleep(pause.next().toMillis()); // Redis said TRYAGAIN: waiting is the point
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
