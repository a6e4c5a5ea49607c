package io.roomcast.bus.local;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceWrite;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence of the single node: per room, its connections and a count per user, so that both
 * counts are read without a pass over the members. There is no other node to outlive, so the
 * liveness methods have nothing to do.
 */
@ApplicationScoped
@BusImplementation("local")
public class LocalPresenceStore implements PresenceStore {

    private final Map<String, RoomPresence> rooms = new ConcurrentHashMap<>();
    /** room -> the nodes with connections watching it (only this one, in memory). */
    private final Map<String, Set<String>> watchedBy = new ConcurrentHashMap<>();

    @Override
    public long add(PresenceEntry entry) {
        long[] after = {-1};
        rooms.compute(entry.room(), (room, presence) -> {
            RoomPresence kept = presence == null ? new RoomPresence() : presence;
            if (kept.add(entry)) {
                after[0] = kept.size();
            }
            return kept;
        });
        return after[0];
    }

    @Override
    public long remove(PresenceEntry entry, boolean lastOfNode) {
        long[] after = {-1};
        rooms.computeIfPresent(entry.room(), (room, presence) -> {
            if (presence.remove(entry)) {
                after[0] = presence.size();
            }
            return presence.size() == 0 ? null : presence;
        });
        return after[0];
    }

    @Override
    public PresenceWrite change(PresenceEntry entry, boolean joined, boolean onlyOfNode) {
        long count = joined ? add(entry) : remove(entry, onlyOfNode);
        if (!joined && onlyOfNode) {
            watching(entry.room(), entry.node(), false); // no connection of the node is left to watch
        }
        return new PresenceWrite(count, watchedBy.containsKey(entry.room()));
    }

    @Override
    public void watching(String room, String node, boolean watched) {
        if (watched) {
            watchedBy.computeIfAbsent(room, r -> ConcurrentHashMap.newKeySet()).add(node);
        } else {
            watchedBy.computeIfPresent(room, (r, nodes) -> nodes.remove(node) && nodes.isEmpty() ? null : nodes);
        }
    }

    @Override
    public PresenceSnapshot read(String room, int limit) {
        RoomPresence presence = rooms.get(room);
        if (presence == null) {
            return new PresenceSnapshot(0, 0, List.of());
        }
        synchronized (presence) {
            return new PresenceSnapshot(presence.size(), presence.users.size(),
                    presence.entries.values().stream().limit(limit).toList());
        }
    }

    @Override
    public boolean markAlive(String node, Duration ttl) {
        return true; // memory is lost only with the node itself
    }

    @Override
    public List<String> deadNodes(String self, Duration grace) {
        return List.of();
    }

    @Override
    public List<PresenceEntry> entriesOf(String node) {
        return rooms.values().stream().flatMap(presence -> {
            synchronized (presence) {
                return presence.entries.values().stream().filter(e -> e.node().equals(node)).toList().stream();
            }
        }).toList();
    }

    @Override
    public void forget(String node) {
        watchedBy.keySet().forEach(room -> watching(room, node, false));
    }

    /** One room's connections (by node and session) and users; guarded by itself. */
    private static final class RoomPresence {

        private final Map<String, PresenceEntry> entries = new LinkedHashMap<>();
        private final Map<String, Integer> users = new HashMap<>();

        synchronized boolean add(PresenceEntry entry) {
            if (entries.putIfAbsent(key(entry), entry) != null) {
                return false;
            }
            users.merge(entry.user(), 1, Integer::sum);
            return true;
        }

        synchronized boolean remove(PresenceEntry entry) {
            PresenceEntry removed = entries.remove(key(entry));
            if (removed == null) {
                return false;
            }
            users.computeIfPresent(removed.user(), (user, n) -> n == 1 ? null : n - 1);
            return true;
        }

        synchronized int size() {
            return entries.size();
        }

        private static String key(PresenceEntry entry) {
            return entry.node() + '|' + entry.session();
        }
    }
}
