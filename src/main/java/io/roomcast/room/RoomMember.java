package io.roomcast.room;

import io.roomcast.protocol.CloseCode;

/**
 * A connected client as the room layer sees it, whatever the transport. Implemented by the
 * WebSocket layer; the room layer never touches a socket.
 */
public interface RoomMember {

    /** This connection's id, unique on this node (the {@code session} of {@code welcome}). */
    String id();

    /** Who this connection acts as; its name is the {@code from} of what it publishes. */
    Caller caller();

    /**
     * Queues an encoded room message for this client. Never blocks; a client whose queue is
     * full is disconnected by the implementation. Safe from any thread.
     *
     * @param acceptedAtMicros when the publishing node accepted the message (epoch µs), for latency
     */
    void deliver(String frame, long acceptedAtMicros);

    /**
     * Queues a message from the room's history (a recovery replay) or a control frame that must
     * keep its place among the room's messages (the {@code joined} reply). Like {@link #deliver},
     * but not counted as a live delivery nor in the delivery latency.
     */
    default void send(String frame) {
        deliver(frame, RoomRegistry.epochMicros());
    }

    /**
     * False once the connection has closed. The registry checks it after a join so that a join
     * racing with the connection's close cannot leave a membership behind.
     */
    boolean isOpen();

    /** Closes the connection with {@code code}; safe from any thread, idempotent. */
    void disconnect(CloseCode code);

    /**
     * Sends what is already queued for this client, then closes with {@code code}; frames
     * offered afterwards are dropped. Used by the drain so that accepted messages still arrive.
     * Never blocks; a client that does not read may never reach the close, so the caller
     * bounds the wait and then calls {@link #disconnect}.
     */
    default void closeWhenFlushed(CloseCode code) {
        disconnect(code);
    }
}
