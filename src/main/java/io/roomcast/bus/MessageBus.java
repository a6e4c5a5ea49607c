package io.roomcast.bus;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The seam between the room layer and the transport that carries room messages between
 * nodes. The in-memory implementation is the reference behaviour; a networked one (Redis)
 * must behave the same from the room layer's point of view.
 *
 * <p>Delivery is at most once. With history on ({@code roomcast.history.size} above 0) each room
 * has one total order: the order in which the bus assigns offsets, 1, 2, 3... per epoch, and
 * every subscribed node's listener receives the room's messages in that order. With history off
 * only one publisher's messages to one room keep their order. A room's history lives where the
 * bus lives (in memory, or in Redis shared by every node).
 */
public interface MessageBus {

    /**
     * Starts delivery to {@code listener}. Called once, before any other method, from the
     * application's start-up thread.
     */
    void start(BusListener listener);

    /**
     * Starts receiving {@code room}'s messages on this node. Called when a room gets its first
     * local member, from any thread; never blocks. The stage completes once every message
     * published after that moment will reach the listener (on the bus's own thread, or the
     * caller's for an immediate answer), or fails with {@link BusUnavailableException}; the
     * caller then undoes the join. The registry orders subscribe and unsubscribe of one room.
     */
    CompletionStage<Void> subscribe(String room);

    /**
     * Stops receiving {@code room}'s messages. Called when the room loses its last local
     * member. Never throws and never blocks: a failed unsubscribe only costs traffic that the
     * listener drops.
     */
    void unsubscribe(String room);

    /**
     * Hands a message (its {@link Envelope#offset()} still 0) to the bus, which assigns the
     * offset, appends the frame to the room's history and publishes, in one atomic step. May be
     * called from many threads and may run on the caller's thread. The stage completes with the
     * assigned position once the bus has accepted the message (that is when the publisher gets
     * its {@code ack}), or fails with {@link BusUnavailableException}: then the message may or may
     * not have been stored and delivered (Redis may have run it before the connection failed).
     *
     * <p>With a {@code key} and history on, the same step first looks the key up among the room's
     * keys: a key the room already has completes with the first message's position and id
     * ({@link Position#duplicate()}) and stores and delivers nothing, from whichever node. A room
     * keeps the keys of its current epoch only, at most {@code roomcast.history.keys-per-room}
     * of them (the newest), and loses them with its history. With history off the key is ignored.
     *
     * @param key the publisher's idempotency key, or null
     */
    CompletionStage<Position> publish(Envelope envelope, PublishKey key);

    /** {@link #publish(Envelope, PublishKey)} without a key. */
    default CompletionStage<Position> publish(Envelope envelope) {
        return publish(envelope, null);
    }

    /**
     * Reads {@code room}'s history position and the messages {@code query} selects, in one
     * consistent step. A room without history (never published, expired, lost) answers a new
     * epoch at offset 0; for a {@linkplain HistoryQuery#join() join} that epoch is stored (the
     * room's next publishes continue it), for any other read it is not (reads never write, and
     * each such read of an empty room names another epoch). Never blocks: Redis reads run on a
     * bus thread. Fails with {@link BusUnavailableException}. With history off: {@link History#NONE}.
     */
    CompletionStage<History> history(String room, HistoryQuery query);

    /** Current state, cheap enough for every health probe. */
    BusHealth health();

    /**
     * Stops receiving and releases connections and threads. Called at shutdown by the registry
     * that started the bus, and again by the container when it destroys the bus bean: must be
     * idempotent (later calls do nothing).
     */
    void close();

    /**
     * Sends presence events to the other nodes that have members in the signal's room, on the
     * room's channel (no offset, outside the message order). Best effort: never throws, and a
     * single-node bus has nobody to tell.
     */
    default void publishPresence(PresenceSignal signal) {
        // One node: its own watchers were told directly.
    }

    /**
     * Hands every presence signal that arrives from another node to {@code listener}, on a bus
     * thread; it must not block. Called once at start-up.
     */
    default void onPresence(Consumer<PresenceSignal> listener) {
        // One node: no other node sends any.
    }
}
