package io.roomcast.room;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.Position;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One room on this node: its members and its subscription. The object's lock orders the room's
 * deliveries against members joining, catching up and leaving; it is never held across I/O
 * (the bus calls happen outside it) and guards only this room.
 *
 * <p>A member joins in two steps. First it is {@code catching up}: live messages for it are
 * kept in its {@link CatchUp} buffer, while the registry reads the room's history position
 * (and the messages it missed). Then, under the lock, {@link #finishCatchUp} queues its
 * {@code joined} reply, the replay, and the buffered live messages newer than the history
 * read, and makes it a live member: from the next message on it receives directly. Deliveries
 * take the same lock, so nothing falls between the replay and the live stream, and nothing
 * arrives twice.
 *
 * <p>The {@link MembershipObserver} is told, under the same lock, when a member becomes live
 * and when a live member is removed: one member's join and leave of one room are told in the
 * order they happened, and a leave only after its join (a leave told first found nothing to
 * remove, and the late join then left a presence entry that nothing removed).
 */
final class RoomState {

    final String room;
    /** Completes when the bus confirmed the room's subscription; set once by the state's creator. */
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    /**
     * Both iterated by deliveries under the lock; concurrent, so that a member a delivery closes
     * on the spot (a shutting-down server closes inline) may leave during the iteration.
     */
    private final Set<RoomMember> live = ConcurrentHashMap.newKeySet();
    private final Map<RoomMember, CatchUp> catchingUp = new ConcurrentHashMap<>();
    private final int maxBuffered;
    private final MembershipObserver observer;
    /** Completes once the emptied room's unsubscribe was sent, so that a successor state may subscribe. */
    final CompletableFuture<Void> released = new CompletableFuture<>();
    /** True once the registry dropped this state; a joiner that finds it takes a new one. */
    private boolean removed;
    /** The last offset (and its epoch) handed out here, to tell whether a history read ran ahead. */
    private long deliveredOffset;
    private String deliveredEpoch;
    /**
     * Live members whose history read saw offsets this node's subscription had not delivered yet
     * (Redis answers the read on another connection than the subscriber's, so the read can run
     * ahead of the room channel): the live messages up to the read's top, which they already had
     * in the replay or which lie before their {@code joined}, are skipped. Usually empty.
     */
    private final Map<RoomMember, Position> settling = new HashMap<>();

    /** @param observer told of members becoming live and leaving, under this state's lock; must not block */
    RoomState(String room, int maxBuffered, MembershipObserver observer) {
        this.room = room;
        this.maxBuffered = maxBuffered;
        this.observer = observer;
    }

    /** Starts {@code member}'s catch-up; null when this state was removed meanwhile. */
    synchronized CatchUp startCatchUp(RoomMember member, Since since) {
        if (removed) {
            return null;
        }
        CatchUp catchUp = new CatchUp(this, member, since, maxBuffered);
        catchingUp.put(member, catchUp);
        return catchUp;
    }

    /** Hands a bus message to every live member and to the buffers of those catching up. */
    synchronized void deliver(Envelope envelope) {
        for (RoomMember member : live) {
            if (settling.isEmpty() || !coveredByRead(member, envelope)) {
                member.deliver(envelope.frame(), envelope.acceptedAtMicros());
            }
        }
        if (envelope.offset() != 0) {
            deliveredOffset = envelope.offset();
            deliveredEpoch = envelope.epoch();
        }
        if (!catchingUp.isEmpty()) {
            catchingUp.values().forEach(catchUp -> catchUp.buffer(envelope));
        }
    }

    /** What {@link #finishCatchUp} did. */
    enum Finish {
        /** The member is live; its {@code joined} reply was queued and the observer told. */
        LIVE,
        /** The member left, or its join was undone, meanwhile: nothing was sent. */
        GONE,
        /**
         * Nothing was sent: its catch-up buffer overflowed (it is being closed as a slow consumer)
         * or its connection closed. It is still catching up: the caller must {@link #abandon} it,
         * which releases the room when it was the only member.
         */
        UNDONE
    }

    /**
     * Ends {@code catchUp} with {@code history} read after the subscription: the observer is
     * told of the join, {@code reply} gets the {@code joined} outcome (under this lock, so it is
     * queued before any room message), then the member receives the replay (when recovered) and
     * the buffered messages newer than the read, and becomes live.
     */
    synchronized Finish finishCatchUp(CatchUp catchUp, History history, Consumer<Joined> reply) {
        if (catchingUp.get(catchUp.member) != catchUp) {
            return Finish.GONE;
        }
        if (catchUp.overflowed() || !catchUp.member.isOpen()) {
            return Finish.UNDONE; // a `joined` would be a lie: the member never receives the room
        }
        catchingUp.remove(catchUp.member);
        Since since = catchUp.since;
        boolean recovered = since != null && history.continues(since.offset(), since.epoch());
        // The observer first: a reply that starts watching the room's presence finds the member there.
        observer.joined(catchUp.member, room);
        reply.accept(new Joined(history.top(), history.epoch(), since == null ? null : recovered));
        if (recovered) {
            history.frames().forEach(catchUp.member::send);
        }
        catchUp.flush(history);
        live.add(catchUp.member);
        if (history.top() > 0 && (!history.epoch().equals(deliveredEpoch) || history.top() > deliveredOffset)) {
            settling.put(catchUp.member, new Position(history.top(), history.epoch()));
        }
        return Finish.LIVE;
    }

    /** True for a live message the member's history read already covered; its first newer one ends the settling. */
    private boolean coveredByRead(RoomMember member, Envelope envelope) {
        Position read = settling.get(member);
        if (read == null) {
            return false;
        }
        if (envelope.offset() != 0 && envelope.offset() <= read.offset() && read.epoch().equals(envelope.epoch())) {
            return true;
        }
        settling.remove(member);
        return false;
    }

    /** What {@link #remove} did. */
    enum Removal { ABSENT, REMOVED, EMPTIED }

    /**
     * Drops {@code member} (live or catching up; the observer is told when it was live). When
     * that empties the room, the state is marked removed and {@code onEmptied} runs under the
     * lock, before any joiner can take a new state for the room (the registry drops the state
     * from its map there).
     */
    synchronized Removal remove(RoomMember member, Runnable onEmptied) {
        settling.remove(member);
        boolean wasLive = live.remove(member);
        boolean present = wasLive | catchingUp.remove(member) != null;
        if (!present) {
            return Removal.ABSENT;
        }
        if (wasLive) {
            observer.left(member, room);
        }
        if (live.isEmpty() && catchingUp.isEmpty()) {
            removed = true;
            onEmptied.run();
            return Removal.EMPTIED;
        }
        return Removal.REMOVED;
    }

    /** Like {@link #remove}, only if {@code catchUp} is still the member's pending join (an undone join). */
    synchronized Removal abandon(CatchUp catchUp, Runnable onEmptied) {
        return catchingUp.get(catchUp.member) == catchUp ? remove(catchUp.member, onEmptied) : Removal.ABSENT;
    }

    synchronized int size() {
        return live.size() + catchingUp.size();
    }
}
