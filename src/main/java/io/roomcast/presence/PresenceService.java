package io.roomcast.presence;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceWrite;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.MembershipObserver;
import io.roomcast.room.RoomId;
import io.roomcast.room.RoomMember;
import io.roomcast.room.RoomRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Presence of this node's connections, kept in the {@link PresenceStore} for the whole cluster.
 *
 * <ul>
 * <li>Changes: the registry reports joins and leaves; this node's index changes at once and
 * the store write is queued on one {@link SerialExecutor}, under the index's per-room lock, so
 * the store sees each connection's join and leave in order and no request thread waits for Redis.
 * Reads go through the same queue, so a connection's own join is in the answer it asks for next.</li>
 * <li>Liveness ({@link PresenceUpkeep}): every quarter of {@code roomcast.presence.ttl-seconds}
 * the node renews its alive mark (valid half the TTL) on a scheduler thread of its own, never
 * behind the writer's queue, and on the writer removes the entries of nodes whose mark expired; when its own mark was gone (Redis restarted or flushed) or a write failed, it
 * reconciles its own entries with its index.</li>
 * <li>Events: every change the store confirms goes to {@link PresenceEvents}, which coalesces
 * them; {@link PresenceWatchers} gives each batch to this node's watchers directly and to the
 * other nodes as a presence signal on the room's channel.</li>
 * </ul>
 */
@ApplicationScoped
public class PresenceService implements MembershipObserver {

    /** Members listed in a presence answer (contract: at most 100). */
    static final int MAX_LISTED = 100;
    /** How long presence events wait to be coalesced. */
    static final long EVENT_WINDOW_MILLIS = 100;

    @Inject
    RoomcastConfig config;

    @Inject
    PresenceStore store;

    @Inject
    MessageBus bus;

    @Inject
    RoomRegistry rooms;

    @Inject
    RoomcastMetrics metrics;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** room -> session -> this node's entry: the truth the store is kept equal to. */
    private final Map<String, Map<String, PresenceEntry>> index = new ConcurrentHashMap<>();
    private SerialExecutor writer;
    private PresenceEvents events;
    private PresenceWatchers watchers;
    private PresenceUpkeep upkeep;
    private ScheduledFuture<?> ticking;
    private ScheduledFuture<?> marking;

    @PostConstruct
    void create() {
        if (!config.presenceEnabled()) {
            return; // writer stays null: every method knows presence is off
        }
        writer = new SerialExecutor(scheduler);
        watchers = new PresenceWatchers(config.nodeId(), bus, metrics);
        events = new PresenceEvents(flush -> scheduler.schedule(flush, EVENT_WINDOW_MILLIS, TimeUnit.MILLISECONDS),
                watchers::sendBatch);
        upkeep = new PresenceUpkeep(config.nodeId(), store, new PresenceUpkeep.Local() {
            @Override
            public List<PresenceEntry> entries() {
                return localEntries();
            }

            @Override
            public Set<String> watchedRooms() {
                return watchers.rooms();
            }
        }, this::confirmed, bus::health);
    }

    /** At start-up, not at the first join: a node with no member still sweeps dead nodes. */
    void onStart(@Observes Startup startup) {
        if (writer == null) {
            return;
        }
        bus.onPresence(watchers::onSignal);
        long tick = Math.max(250, config.presenceTtl().toMillis() / 4);
        Duration aliveFor = config.presenceTtl().dividedBy(2);
        // The mark on its own path: queued behind a storm of presence writes it expired (docs/presence.md).
        marking = scheduler.scheduleAtFixedRate(() -> upkeep.renewMark(aliveFor), 0, tick, TimeUnit.MILLISECONDS);
        // The first tick (its reconcile) is queued now, ahead of any join: a join queued before it
        // would be written by the reconcile first and then found there already, and never told.
        writer.execute(() -> upkeep.tick(aliveFor));
        ticking = scheduler.scheduleAtFixedRate(() -> writer.execute(() -> upkeep.tick(aliveFor)), tick, tick, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (marking != null) {
            marking.cancel(false);
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
    }

    @Override
    public void joined(RoomMember member, String room) {
        if (writer == null) {
            return; // presence is off
        }
        PresenceEntry entry = new PresenceEntry(room, config.nodeId(), member.id(), member.caller().name());
        index.compute(room, (r, entries) -> {
            Map<String, PresenceEntry> kept = entries == null ? new ConcurrentHashMap<>() : entries;
            if (kept.putIfAbsent(entry.session(), entry) == null) {
                boolean first = kept.size() == 1;
                writer.execute(() -> stored(entry, true, first));
            }
            return kept;
        });
    }

    @Override
    public void left(RoomMember member, String room) {
        if (writer == null) {
            return;
        }
        unwatch(member, room);
        index.computeIfPresent(room, (r, entries) -> {
            PresenceEntry entry = entries.remove(member.id());
            if (entry != null) {
                boolean last = entries.isEmpty();
                writer.execute(() -> stored(entry, false, last));
            }
            return entries.isEmpty() ? null : entries;
        });
    }

    /** A join said {@code "presence":true} (or false): {@code member} gets room {@code room}'s events or not. */
    public void watch(RoomMember member, String room, boolean wanted) {
        if (writer == null) {
            return;
        }
        if (wanted) {
            // The node's first watcher of the room registers it in the store, in the writer's
            // order: from that write on, every change of the room anywhere comes with an event.
            watchers.add(member, room, () -> writer.execute(() -> storeWatching(room, true)));
        }
        // Checked after the add: a leave or close racing with this join removes the watcher either way.
        Map<String, PresenceEntry> entries = index.get(room);
        if (!wanted || !member.isOpen() || entries == null || !entries.containsKey(member.id())) {
            unwatch(member, room);
        }
    }

    private void unwatch(RoomMember member, String room) {
        watchers.remove(member, room, () -> writer.execute(() -> storeWatching(room, false)));
    }

    private void storeWatching(String room, boolean watched) {
        if (!upkeep.writable()) {
            return; // the reconcile after the outage registers the rooms watched then
        }
        try {
            store.watching(room, config.nodeId(), watched);
        } catch (BusUnavailableException e) {
            upkeep.writeFailed();
        }
    }

    /** The presence of {@code room} for one of its members; {@code not_member} for anyone else. */
    public CompletionStage<PresenceSnapshot> read(RoomMember member, String room) {
        RoomId.require(room);
        if (!rooms.roomsOf(member).contains(room)) {
            throw new ProtocolException(ErrorCode.NOT_MEMBER, "Not a member of room " + room);
        }
        return read(room);
    }

    /** The presence of {@code room}, after every change this node has seen so far. */
    public CompletionStage<PresenceSnapshot> read(String room) {
        RoomId.require(room);
        if (writer == null) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "Presence is turned off on this server");
        }
        if (!bus.health().up()) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "Presence unavailable: the message bus is down");
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return store.read(room, MAX_LISTED);
            } catch (BusUnavailableException e) {
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "Presence unavailable: " + e.getMessage());
            }
        }, writer);
    }

    /**
     * Writes one change to the store (on the writer) and queues its event when the store
     * confirms it changed something and some node watches the room: the write keeps the counts
     * exact, the event is only for watchers. Skipped while the bus is down: the upkeep
     * reconciles later.
     *
     * @param onlyOfNode the node's first connection in the room (a join) or its last (a leave)
     */
    private void stored(PresenceEntry entry, boolean joined, boolean onlyOfNode) {
        if (!upkeep.writable()) {
            return;
        }
        try {
            PresenceWrite write = store.change(entry, joined, onlyOfNode);
            if (write.watched()) {
                confirmed(entry, joined, write.count());
            }
        } catch (BusUnavailableException e) {
            upkeep.writeFailed();
        }
    }

    /**
     * The store changed ({@code count} &ge; 0, the room's size afterwards): an event, unless the
     * room is above the event limit with the member in it (so a member's leave is told exactly
     * when its join was).
     */
    private void confirmed(PresenceEntry entry, boolean joined, long count) {
        long withMember = joined ? count : count + 1;
        if (count < 0 || withMember > config.presenceMaxEventMembers()) {
            return;
        }
        if (joined) {
            events.joined(entry);
        } else {
            events.left(entry);
        }
    }

    private List<PresenceEntry> localEntries() {
        return index.values().stream().flatMap(entries -> entries.values().stream()).toList();
    }
}
