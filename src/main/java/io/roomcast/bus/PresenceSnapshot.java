package io.roomcast.bus;

import java.util.List;

/**
 * Who is in a room across every node, read in one step of the store.
 *
 * @param count   connections in the room
 * @param users   distinct users among them
 * @param members at most the limit asked for, in no particular order
 */
public record PresenceSnapshot(long count, long users, List<PresenceEntry> members) {

    public PresenceSnapshot {
        members = List.copyOf(members);
    }
}
