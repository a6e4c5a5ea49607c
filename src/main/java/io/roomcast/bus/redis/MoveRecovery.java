package io.roomcast.bus.redis;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.Position;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands room messages to the node, each offset of a room once, and makes good what a slot move
 * costs. Redis Cluster drops a moved slot's subscribers only once the new owner serves the slot,
 * and the node can subscribe there only after that, so what is published on the new owner in
 * between reaches none of the node's subscriptions. With history on those messages are in the
 * room's history: once the room's new subscription is confirmed, the history after the last
 * offset this node received is read and delivered first, then the live messages that arrived
 * meanwhile, none twice. Without history there are no offsets to go by: such messages are lost
 * (at most once, as during a failover).
 *
 * <p>{@link #received} runs on subscriber threads, one room on one thread at a time; a
 * recovery's delivery runs on the history reader's thread, under the held room's lock, while
 * that room's live messages wait in its buffer.
 */
final class MoveRecovery {

    private static final Logger LOG = Logger.getLogger(MoveRecovery.class.getName());

    private final HistoryReads reads;
    private final int historySize;
    private final Consumer<Envelope> deliver;
    /** The last offset delivered per subscribed room; a room left is forgotten. */
    private final Map<String, Position> last = new ConcurrentHashMap<>();
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** A moved room's live messages, kept until its recovery delivered what it missed. */
    private static final class Held {
        final Position from;
        final List<Envelope> buffered = new ArrayList<>();
        boolean recovering = true;

        Held(Position from) {
            this.from = from;
        }
    }

    /**
     * @param reads   null when history is off: nothing is recovered
     * @param deliver hands a message to the node (the bus's listener)
     */
    MoveRecovery(HistoryReads reads, int historySize, Consumer<Envelope> deliver) {
        this.reads = reads;
        this.historySize = historySize;
        this.deliver = deliver;
    }

    /** True when a moved room's missed messages can be recovered (history is on). */
    boolean recovers() {
        return reads != null;
    }

    /** A room message from Redis; on its subscriber's thread. */
    void received(Envelope envelope) {
        if (envelope.offset() == 0) {
            deliver.accept(envelope); // history off: no offsets to go by
            return;
        }
        Held waiting = held.isEmpty() ? null : held.get(envelope.room());
        if (waiting != null) {
            synchronized (waiting) {
                if (waiting.recovering) {
                    waiting.buffered.add(envelope);
                    return;
                }
            }
        }
        deliverOnce(envelope);
    }

    /** Redis dropped {@code room} from its shard (its slot moved): its live messages wait for the recovery. */
    void hold(String room) {
        if (recovers()) {
            held.putIfAbsent(room, new Held(last.get(room))); // a second move keeps the first one's start
        }
    }

    /** {@code room}'s subscription is confirmed (again): if it moved, deliver what it missed, then what waited. */
    void resume(String room) {
        Held waiting = held.get(room);
        if (waiting == null) {
            return;
        }
        if (waiting.from == null) { // nothing received before the move: nothing to read after
            release(room, waiting, null);
            return;
        }
        reads.read(room, HistoryQuery.since(waiting.from.offset(), historySize)).whenComplete((history, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "Room " + room + " moved; the messages published meanwhile could not be read", failure);
            }
            release(room, waiting, history);
        });
    }

    /** {@code room} is no longer subscribed here (or is subscribed anew): forget what it received. */
    void forget(String room) {
        last.remove(room);
        Held waiting = held.remove(room);
        if (waiting != null) {
            synchronized (waiting) {
                waiting.recovering = false;
                waiting.buffered.clear();
            }
        }
    }

    private void release(String room, Held waiting, History missed) {
        synchronized (waiting) {
            if (!waiting.recovering) {
                return; // left meanwhile
            }
            if (missed != null) {
                long receivedAt = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                int recovered = 0;
                for (int i = 0; i < missed.frames().size(); i++) {
                    // Origin and publisher are not kept in history; latency counts from the recovery.
                    recovered += deliverOnce(new Envelope(Envelope.CURRENT_VERSION, "", room, "", receivedAt,
                            missed.frames().get(i), missed.firstOffset() + i, missed.epoch())) ? 1 : 0;
                }
                LOG.info("Room " + room + " followed its slot; " + recovered + " messages published meanwhile delivered from its history");
            }
            waiting.buffered.forEach(this::deliverOnce);
            waiting.buffered.clear();
            waiting.recovering = false;
            held.remove(room, waiting);
        }
    }

    /** False when the room had it already (live and recovered, or subscribed twice meanwhile). */
    private boolean deliverOnce(Envelope envelope) {
        Position previous = last.get(envelope.room());
        if (previous != null && previous.epoch().equals(envelope.epoch()) && envelope.offset() <= previous.offset()) {
            return false;
        }
        last.put(envelope.room(), new Position(envelope.offset(), envelope.epoch()));
        deliver.accept(envelope);
        return true;
    }
}
