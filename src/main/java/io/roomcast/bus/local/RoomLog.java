package io.roomcast.bus.local;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * One room's history in memory: its epoch (random, new for every log), its latest offset and
 * its last {@code size} frames. Every method runs under the log's own lock, so offset
 * assignment, append and the hand-off to the listener are one step in one total order.
 * A log whose room had no publish for the ttl is dead: it is dropped and replaced by a new one
 * (a new epoch), exactly as an expired Redis key would be.
 */
final class RoomLog {

    private final String epoch = UUID.randomUUID().toString();
    private final ArrayDeque<String> frames = new ArrayDeque<>();
    private final int size;
    private final long ttlNanos;
    private long top;
    private long lastWriteNanos;
    private boolean dead;

    RoomLog(int size, long ttlNanos, long nowNanos) {
        this.size = size;
        this.ttlNanos = ttlNanos;
        this.lastWriteNanos = nowNanos;
    }

    /**
     * Assigns the next offset, keeps the frame and returns the positioned envelope; null when
     * this log is dead (the caller takes a fresh one). The caller holds the lock.
     */
    Envelope append(Envelope envelope, long nowNanos) {
        if (expired(nowNanos)) {
            return null;
        }
        Envelope positioned = envelope.positioned(++top, epoch);
        frames.addLast(positioned.frame());
        if (frames.size() > size) {
            frames.removeFirst();
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

    /** True (and the log dead for good) once the ttl has passed since the last publish. */
    boolean expired(long nowNanos) {
        if (!dead && nowNanos - lastWriteNanos > ttlNanos) {
            dead = true;
        }
        return dead;
    }
}
