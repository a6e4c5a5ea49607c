package io.roomcast.presence;

import io.roomcast.bus.MessageBus;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSignal;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.RoomMember;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's connections that joined a room with {@code "presence":true}, and the way events
 * reach them: a batch coalesced here goes to the local watchers at once (never about
 * themselves) and to the other nodes as a {@link PresenceSignal}; a signal from another node goes
 * to the local watchers of its room. Never blocks: a send only queues a frame in an outbox.
 */
final class PresenceWatchers {

    private final Map<String, Set<RoomMember>> byRoom = new ConcurrentHashMap<>();
    private final String self;
    private final MessageBus bus;
    private final RoomcastMetrics metrics;

    PresenceWatchers(String self, MessageBus bus, RoomcastMetrics metrics) {
        this.self = self;
        this.bus = bus;
        this.metrics = metrics;
    }

    /** Adds a watcher; {@code firstOfRoom} runs, under the room's bin lock, when the room had none here. */
    void add(RoomMember member, String room, Runnable firstOfRoom) {
        byRoom.compute(room, (r, set) -> {
            Set<RoomMember> kept = set == null ? ConcurrentHashMap.newKeySet() : set;
            if (kept.add(member) && kept.size() == 1) {
                firstOfRoom.run();
            }
            return kept;
        });
    }

    /** Removes a watcher; {@code lastOfRoom} runs, under the room's bin lock, when it was the room's last here. */
    void remove(RoomMember member, String room, Runnable lastOfRoom) {
        byRoom.computeIfPresent(room, (r, set) -> {
            if (set.remove(member) && set.isEmpty()) {
                lastOfRoom.run();
                return null;
            }
            return set;
        });
    }

    /** The rooms with watchers on this node now. */
    Set<String> rooms() {
        return Set.copyOf(byRoom.keySet());
    }

    /** One room's coalesced events from this node: to its watchers here now, to the other nodes through the bus. */
    void sendBatch(String room, List<PresenceEvents.Change> changes) {
        List<String> frames = changes.stream().map(c -> PresenceFrames.event(c.entry(), c.joined())).toList();
        Set<RoomMember> local = byRoom.get(room);
        if (local != null) {
            for (int i = 0; i < frames.size(); i++) {
                PresenceEntry subject = changes.get(i).entry();
                boolean own = subject.node().equals(self);
                for (RoomMember watcher : local) {
                    if (!own || !watcher.id().equals(subject.session())) {
                        send(watcher, frames.get(i));
                    }
                }
            }
        }
        bus.publishPresence(new PresenceSignal(self, room, frames));
    }

    /** Events another node coalesced: to this node's watchers of the room. Runs on a bus thread. */
    void onSignal(PresenceSignal signal) {
        Set<RoomMember> local = byRoom.get(signal.room());
        if (local == null || signal.origin().equals(self)) {
            return; // this node's own watchers had them already
        }
        for (String frame : signal.frames()) {
            local.forEach(watcher -> send(watcher, frame));
        }
    }

    private void send(RoomMember watcher, String frame) {
        watcher.send(frame);
        metrics.presenceEventSent();
    }
}
