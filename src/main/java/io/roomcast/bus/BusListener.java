package io.roomcast.bus;

/** Receives the messages of the rooms this node has subscribed to. */
@FunctionalInterface
public interface BusListener {

    /**
     * Called once per message, on a bus thread (the publisher's, for the in-memory bus). With
     * history on, calls for one room never overlap and come in offset order; with history off,
     * each publisher's messages to a room come in its order. Must not block: it only hands the frame to the members' outboxes. Exceptions are
     * logged and the message dropped.
     */
    void onMessage(Envelope envelope);
}
