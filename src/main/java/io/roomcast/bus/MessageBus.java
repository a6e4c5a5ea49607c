package io.roomcast.bus;

import java.util.concurrent.CompletionStage;

/**
 * The seam between the room layer and the transport that carries room messages between
 * nodes. The in-memory implementation is the reference behaviour; a networked one (Redis)
 * must behave the same from the room layer's point of view.
 *
 * <p>Delivery is at most once. Messages with the same {@link Envelope#publisher()} and
 * {@link Envelope#room()} reach every subscribed node's listener in publish order.
 */
public interface MessageBus {

    /**
     * Starts delivery to {@code listener}. Called once, before any other method, from the
     * application's start-up thread.
     */
    void start(BusListener listener);

    /**
     * Starts receiving {@code room}'s messages on this node. Called when a room gets its first
     * local member, under that room's lock in the registry, so it must not block for long.
     *
     * @throws BusUnavailableException when the subscription cannot be made; the caller undoes
     *                                 the join
     */
    void subscribe(String room);

    /**
     * Stops receiving {@code room}'s messages. Called when the room loses its last local
     * member. Never throws: a failed unsubscribe only costs traffic that the listener drops.
     */
    void unsubscribe(String room);

    /**
     * Hands a message to the bus. The returned stage completes when the bus has accepted it
     * (that is when the publisher gets its {@code ack}), or exceptionally with
     * {@link BusUnavailableException} when nothing was sent. May be called from many threads.
     */
    CompletionStage<Void> publish(Envelope envelope);

    /** Current state, cheap enough for every health probe. */
    BusHealth health();

    /**
     * Stops receiving and releases connections and threads. Called at shutdown by the registry
     * that started the bus, and again by the container when it destroys the bus bean: must be
     * idempotent (later calls do nothing).
     */
    void close();
}
