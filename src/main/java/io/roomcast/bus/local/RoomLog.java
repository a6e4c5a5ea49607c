package io.roomcast.bus.local;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.Position;
import io.roomcast.bus.PublishKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One room's history in memory: its epoch (random, new for every log), its latest offset and
 * its last {@code size} frames. Every method runs under the log's own lock, so offset
 * assignment, append and the hand-off to the listener are one step in one total order.
 * A log whose room had no publish for the ttl is dead: it is dropped and replaced by a new one
 * (a new epoch), exactly as an expired Redis key would be.
 *
 * <p>The log also keeps the idempotency keys of its epoch (at most {@code maxKeys}, the newest),
 * each with the answer a repeated publish gets; they die with the log, as the Redis keys do.
 */
final class RoomLog {

    private final String epoch = newEpoch();
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    /** Key to the answer a repeated publish gets; insertion order, so the first is the oldest. */
    private final Map<String, Position> keys = new LinkedHashMap<>();
    private final int maxKeys;
    private final int size;
    private final long ttlNanos;
    private long top;
    private long lastWriteNanos;
    private boolean dead;

    RoomLog(int size, int maxKeys, long ttlNanos, long nowNanos) {
        this.maxKeys = maxKeys;
        this.size = size;
        this.ttlNanos = ttlNanos;
        this.lastWriteNanos = nowNanos;
    }

    /**
     * What a publish with {@code key} answers when the log already has that key (the first
     * message's position and id); null for a new key or none. The caller holds the lock.
     */
    Position duplicate(PublishKey key) {
        return key == null ? null : keys.get(key.key());
    }

    /**
     * Assigns the next offset, keeps the frame (and the key, if any) and returns the positioned
     * envelope. The caller holds the lock and has checked that the log is alive and the key new.
     */
    Envelope append(Envelope envelope, PublishKey key, long nowNanos) {
        Envelope positioned = envelope.positioned(++top, epoch);
        frames.addLast(positioned.frame());
        if (frames.size() > size) {
            frames.removeFirst();
        }
        if (key != null) {
            keys.put(key.key(), new Position(top, epoch, key.messageId()));
            if (keys.size() > maxKeys) {
                Iterator<String> oldest = keys.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        lastWriteNanos = nowNanos;
        return positioned;
    }

    /** What {@code query} selects; null when this log is dead. The caller holds the lock. */
    History read(HistoryQuery query, long nowNanos) {
        if (expired(nowNanos)) {
            return null;
        }
        long first = top - frames.size() + 1;
        long high = Math.min(top, query.before() - 1);
        long low = Math.max(Math.max(first, query.after() + 1), high - query.limit() + 1);
        List<String> selected = new ArrayList<>((int) Math.max(0, Math.min(high - low + 1, query.limit())));
        if (!query.readsNothing()) {
            Iterator<String> all = frames.iterator();
            for (long offset = first; offset <= high && all.hasNext(); offset++) {
                String frame = all.next();
                if (offset >= low) {
                    selected.add(frame);
                }
            }
        }
        return new History(epoch, top, low, selected);
    }

    /** What a read that must not create a log answers for a room without one: an epoch never stored. */
    static History empty() {
        return new History(newEpoch(), 0, 1, List.of());
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString();
    }

    /** True (and the log dead for good) once the ttl has passed since the last publish. */
    boolean expired(long nowNanos) {
        if (!dead && nowNanos - lastWriteNanos > ttlNanos) {
            dead = true;
        }
        return dead;
    }
}
