package io.roomcast.room;

/**
 * Told by the {@link RoomRegistry} of every membership change on this node, once it took
 * effect (presence listens). Called under the room's lock, so one member's join and leave of
 * one room are told in the order they happened, and every leave follows its join; must not
 * block and must not call the registry. A connection that closes leaves each of its rooms.
 */
public interface MembershipObserver {

    /** {@code member} is now a member of {@code room} (not called for a repeated join). */
    void joined(RoomMember member, String room);

    /** {@code member} is no longer a member of {@code room}: it left, or its connection ended. */
    void left(RoomMember member, String room);
}
