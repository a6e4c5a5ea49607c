package io.roomcast.presence;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceWrite;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the store true to the cluster: renews this node's alive mark, removes the entries of
 * nodes whose mark expired (the survivors of a killed node do this), and reconciles this node's
 * own entries with its index when they may differ: at start (entries of an earlier run under the
 * same node id), after a failed or skipped write, and when the node's own mark was gone (Redis
 * restarted or flushed, or this node was taken for dead). Reconciling twice after a lost mark
 * covers a survivor that was still removing this node's entries meanwhile.
 *
 * <p>{@link #renewMark} runs on a path of its own, never behind the presence writer's queue: a
 * renewal that waited behind a reconnect storm's writes let the mark expire, and the other nodes
 * then removed this node's live members (leave events) until it added them again (join events).
 * {@link #tick} (reconcile and sweep, which write entries) runs only on the presence writer.
 */
final class PresenceUpkeep {

    private static final Logger LOG = Logger.getLogger(PresenceUpkeep.class.getName());

    /** This node's presence as it is now, the truth a reconcile writes back. */
    interface Local {
        /** This node's entries as its index has them. */
        List<PresenceEntry> entries();

        /** The rooms with watchers on this node. */
        Set<String> watchedRooms();
    }

    /** A change the store confirmed, with the room's count afterwards. */
    interface Confirmed {
        void changed(PresenceEntry entry, boolean joined, long count);
    }

    private final String self;
    private final PresenceStore store;
    private final Local local;
    private final Confirmed confirmed;
    private final Supplier<BusHealth> health;
    /** Reconciles still wanted; asked for by both paths, done by the writer. */
    private final AtomicInteger reconciles = new AtomicInteger(1);
    /** Whether the last tick failed (writer only) and the last renewal failed (its own path only): to log once per outage. */
    private boolean failing;
    private boolean markFailing;

    /**
     * @param local     this node's entries and watched rooms as they are now
     * @param confirmed told of every change an upkeep step made
     */
    PresenceUpkeep(String self, PresenceStore store, Local local, Confirmed confirmed,
                   Supplier<BusHealth> health) {
        this.self = self;
        this.store = store;
        this.local = local;
        this.confirmed = confirmed;
        this.health = health;
    }

    /** Whether a change may be written now; if not, a later tick reconciles it. */
    boolean writable() {
        if (health.get().up()) {
            return true;
        }
        writeFailed();
        return false;
    }

    void writeFailed() {
        reconciles.accumulateAndGet(1, Math::max);
    }

    /**
     * Renews this node's alive mark for {@code aliveFor}; when it was gone, asks the writer to
     * reconcile twice. Never on the presence writer; one renewal at a time.
     */
    void renewMark(Duration aliveFor) {
        if (!writable()) {
            return;
        }
        try {
            if (!store.markAlive(self, aliveFor)) {
                reconciles.set(2);
            }
            markFailing = false;
        } catch (RuntimeException e) {
            LOG.log(markFailing ? Level.FINE : Level.WARNING, "Presence alive mark not renewed, retrying next tick: " + e.getMessage());
            markFailing = true;
            writeFailed();
        }
    }

    /** One upkeep step on the presence writer; {@code aliveFor} is how long a node's mark stays valid. */
    void tick(Duration aliveFor) {
        if (!writable()) {
            return;
        }
        try {
            if (reconciles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reconcile();
            }
            for (String dead : store.deadNodes(self, aliveFor)) {
                store.entriesOf(dead).forEach(entry -> remove(entry, false));
                store.forget(dead);
            }
            failing = false;
        } catch (BusUnavailableException e) {
            // Once per outage: a node that cannot sweep leaves dead nodes' members listed.
            LOG.log(failing ? Level.FINE : Level.WARNING, "Presence upkeep failed, retrying next tick: " + e.getMessage());
            failing = true;
            writeFailed();
        }
    }

    private void reconcile() {
        Map<String, PresenceEntry> stored = byKey(store.entriesOf(self));
        List<PresenceEntry> entries = local.entries();
        Map<String, PresenceEntry> wanted = byKey(entries);
        stored.forEach((key, entry) -> {
            if (!wanted.containsKey(key)) {
                remove(entry, entries.stream().noneMatch(e -> e.room().equals(entry.room())));
            }
        });
        wanted.forEach((key, entry) -> {
            if (!stored.containsKey(key)) {
                report(entry, true, store.change(entry, true, true));
            }
        });
        // Idempotent; lost with the entries when Redis restarted empty.
        local.watchedRooms().forEach(room -> store.watching(room, self, true));
    }

    private void remove(PresenceEntry entry, boolean lastOfNode) {
        report(entry, false, store.change(entry, false, lastOfNode));
    }

    /** Like a node's own changes, a repair is an event only when some node watches the room. */
    private void report(PresenceEntry entry, boolean joined, PresenceWrite write) {
        if (write.watched()) {
            confirmed.changed(entry, joined, write.count());
        }
    }

    private static Map<String, PresenceEntry> byKey(List<PresenceEntry> entries) {
        Map<String, PresenceEntry> keyed = new HashMap<>();
        entries.forEach(e -> keyed.put(e.room() + ' ' + e.session(), e));
        return keyed;
    }
}
