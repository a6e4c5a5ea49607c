package io.roomcast.room;

/**
 * Told by the {@link RoomRegistry} of every membership change on this node, after it took
 * effect (presence listens). Called on the thread that made the change, outside any registry
 * lock; must not block for long. A connection that closes leaves each of its rooms.
 *
 * <p>A join racing with the connection's close may be reported after its leave, or without
 * one: observers check {@link RoomMember#isOpen()} after recording a join.
 */
public interface MembershipObserver {

    /** {@code member} is now a member of {@code room} (not called for a repeated join). */
    void joined(RoomMember member, String room);

    /** {@code member} is no longer a member of {@code room}: it left, or its connection ended. */
    void left(RoomMember member, String room);
}
