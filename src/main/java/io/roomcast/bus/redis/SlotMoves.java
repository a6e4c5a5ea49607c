package io.roomcast.bus.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.HostAndPort;

/**
 * Rooms follow the cluster by themselves. When Redis drops (or refuses) a room's shard channel
 * because its slot migrated, the room is subscribed again where the re-read slot map puts it
 * now. When a shard's connection fails (a primary died), its subscriber, between reconnect
 * attempts, hands the rooms whose slot now belongs to another primary (the promoted replica)
 * to that primary's subscriber.
 *
 * <p>Reading the slot map is I/O and happens outside any lock; only the decisions taken on what
 * was read are serialized (by this object's lock), so a follow and a rehome never move one room
 * twice. Moves run on executor threads and subscriber loops, never on a join's thread.
 */
final class SlotMoves {

    private static final Logger LOG = Logger.getLogger(SlotMoves.class.getName());
    private static final long MOVE_RETRY_MILLIS = 200;

    private final RedisConnections connections;
    private final ShardSubscribers shards;
    private final RoomPlacement placement;
    private final ScheduledExecutorService executor;

    SlotMoves(RedisConnections connections, ShardSubscribers shards, RoomPlacement placement, ScheduledExecutorService executor) {
        this.connections = connections;
        this.shards = shards;
        this.placement = placement;
        this.executor = executor;
    }

    /**
     * Redis dropped {@code room} from {@code from}: follow it to {@code to} when Redis named the
     * new owner (MOVED), else where the re-read slot map says (on an executor thread: I/O).
     */
    void moved(Subscriber from, String room, HostAndPort to) {
        if (placement.startMove(room, from)) {
            LOG.log(to == null ? Level.INFO : Level.FINE, "Redis moved the slot of room " + room + " away from " + from.shard()
                    + "; following it");
            execute(() -> follow(room, to), 0);
        }
    }

    /**
     * Between reconnect attempts of {@code subscriber}: hands its rooms whose slot moved to their
     * new shard; false when its shard is not needed any more (no rooms, not home).
     */
    boolean keep(Subscriber subscriber) {
        if (shards.closed()) {
            return false;
        }
        connections.refresh();
        HostAndPort home = shards.home();
        shards.of(home);
        Map<String, HostAndPort> owners = new LinkedHashMap<>();
        for (String room : subscriber.rooms()) {
            owners.put(room, connections.shardOf(RedisNames.roomChannel(room)));
        }
        synchronized (this) {
            return rehome(subscriber, owners, home);
        }
    }

    private boolean rehome(Subscriber subscriber, Map<String, HostAndPort> owners, HostAndPort home) {
        HostAndPort shard = subscriber.shard();
        owners.forEach((room, owner) -> {
            if (!owner.equals(shard) && subscriber.drop(room)) {
                Subscriber next = shards.of(owner);
                if (placement.rehome(room, subscriber, next)) { // else the room was left meanwhile
                    next.add(room);
                }
            }
        });
        if (subscriber.rooms().isEmpty() && !shard.equals(home)) {
            shards.retire(subscriber);
            LOG.info("Redis " + shard + " no longer owns slots of this node's rooms; its subscriber ends");
            return false;
        }
        return true;
    }

    /**
     * Subscribes a moved room at {@code to}, or where the re-read slot map puts it now; retried
     * until it lands. A map that does not show the move yet sends it back to its old shard,
     * which refuses it naming the new owner (MOVED): one round trip, no waiting for the map.
     */
    private void follow(String room, HostAndPort to) {
        try {
            HostAndPort owner = to;
            if (owner == null) {
                connections.refresh();
                owner = connections.shardOf(RedisNames.roomChannel(room));
            }
            Subscriber next = shards.of(owner);
            synchronized (this) {
                if (placement.land(room, next)) {
                    next.add(room);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Room " + room + " not resubscribed yet", e);
            if (placement.isMoving(room) && !shards.closed()) {
                execute(() -> follow(room, to), MOVE_RETRY_MILLIS);
            }
        }
    }

    private void execute(Runnable task, long delayMillis) {
        try {
            executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the node stops
        }
    }
}
