package io.roomcast.bus.redis;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which shard's subscriber carries each subscribed room, and which rooms are moving (Redis
 * dropped them from their old shard; not yet subscribed on the new one). Every change is one
 * atomic map step, so joins and leaves never wait for a move. A leave racing a move can leave
 * the room subscribed on its new shard, costing only traffic the registry drops, until the
 * room's next leave.
 */
final class RoomPlacement {

    private final Map<String, Subscriber> placed = new ConcurrentHashMap<>();
    private final Set<String> moving = ConcurrentHashMap.newKeySet();

    void place(String room, Subscriber subscriber) {
        placed.put(room, subscriber);
    }

    /** Undoes {@link #place} if {@code subscriber} still carries {@code room}. */
    void unplace(String room, Subscriber subscriber) {
        placed.remove(room, subscriber);
    }

    /** The room is left: its subscriber (null when none, e.g. while it moves). */
    Subscriber leave(String room) {
        moving.remove(room);
        return placed.remove(room);
    }

    /** {@code room} left {@code from} unasked; false when it was not there (left meanwhile). */
    boolean startMove(String room, Subscriber from) {
        if (placed.remove(room, from)) {
            moving.add(room);
            return true;
        }
        return false;
    }

    /** Ends {@code room}'s move at {@code next}; false when it was left meanwhile. */
    boolean land(String room, Subscriber next) {
        if (moving.remove(room)) { // an unsubscribe from now on finds the room at next
            placed.put(room, next);
            return true;
        }
        return false;
    }

    /** {@code room} goes from {@code from} to {@code to}; false when it was left meanwhile. */
    boolean rehome(String room, Subscriber from, Subscriber to) {
        return placed.replace(room, from, to);
    }

    boolean isMoving(String room) {
        return moving.contains(room);
    }
}
