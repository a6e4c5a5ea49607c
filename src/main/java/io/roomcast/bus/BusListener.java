package io.roomcast.bus;

/** Receives the messages of the rooms this node has subscribed to. */
@FunctionalInterface
public interface BusListener {

    /**
     * Called once per message, on a bus thread. Messages of one publisher to one room arrive
     * in publish order. Must not block: it only hands the frame to the members' outboxes.
     */
    void onMessage(Envelope envelope);
}
