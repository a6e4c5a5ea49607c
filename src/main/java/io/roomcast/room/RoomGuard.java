package io.roomcast.room;

/**
 * A rule that may refuse a join or a publish (access control, sharding). Every CDI bean
 * implementing this interface is consulted, in no particular order; the first refusal wins.
 */
public interface RoomGuard {

    /** Throws a {@link io.roomcast.protocol.ProtocolException} to refuse; called on the joiner's thread. */
    void checkJoin(Caller caller, String room);

    /** Throws a {@link io.roomcast.protocol.ProtocolException} to refuse; called on the publisher's thread. */
    void checkPublish(Caller caller, String room);
}
