package io.roomcast.presence;

import io.roomcast.bus.PresenceEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Coalesces presence events per room: changes wait for one window (started by the first change
 * after a flush), then each room's changes go out as one batch, one bus message per room. A
 * connection that joins and leaves (or leaves and joins again) within a window cancels out: its
 * watchers see neither, since the room looks the same before and after. So a reconnect storm or
 * a join/leave flood costs each room at most one bus message per window, and each connection
 * at most one event per window. Thread-safe; never blocks.
 */
final class PresenceEvents {

    /** One change waiting to be sent. */
    record Change(PresenceEntry entry, boolean joined) {
    }

    private final Consumer<Runnable> flushLater;
    private final BiConsumer<String, List<Change>> send;
    /** room -> (node|session -> its pending change), in first-change order. */
    private Map<String, LinkedHashMap<String, Change>> pending = new HashMap<>();
    /** A flush is on its way; guarded by this. */
    private boolean flushing;

    /**
     * @param flushLater runs its argument once, one window from now
     * @param send       gets each room's batch, in order, on the flushing thread
     */
    PresenceEvents(Consumer<Runnable> flushLater, BiConsumer<String, List<Change>> send) {
        this.flushLater = flushLater;
        this.send = send;
    }

    void joined(PresenceEntry entry) {
        add(new Change(entry, true));
    }

    void left(PresenceEntry entry) {
        add(new Change(entry, false));
    }

    private void add(Change change) {
        boolean first;
        synchronized (this) {
            first = !flushing;
            flushing = true;
            LinkedHashMap<String, Change> room = pending.computeIfAbsent(change.entry().room(), r -> new LinkedHashMap<>());
            String key = change.entry().node() + '|' + change.entry().session();
            Change waiting = room.remove(key);
            if (waiting == null || waiting.joined() == change.joined()) {
                room.put(key, change); // the opposite change cancels out instead
            }
            if (room.isEmpty()) {
                pending.remove(change.entry().room());
            }
        }
        if (first) {
            flushLater.accept(this::flush);
        }
    }

    /** Sends every room's waiting batch. */
    void flush() {
        Map<String, LinkedHashMap<String, Change>> batches;
        synchronized (this) {
            flushing = false;
            batches = pending;
            pending = new HashMap<>();
        }
        batches.forEach((room, changes) -> send.accept(room, new ArrayList<>(changes.values())));
    }
}
