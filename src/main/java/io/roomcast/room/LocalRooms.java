package io.roomcast.room;

import io.roomcast.bus.MessageBus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The rooms with members on this node, each a {@link RoomState}, and their bus subscriptions:
 * a room's first member starts the subscription, its last member ends it. The map only finds,
 * creates or drops states; no bus call happens inside it or under a room's lock. A room emptied
 * while its subscribe is still under way unsubscribes once the subscribe settled, and a new
 * state of the same room subscribes only after that unsubscribe: a room's subscribe and
 * unsubscribe reach the bus in the order they were decided.
 */
final class LocalRooms {

    private final Map<String, RoomState> byName = new ConcurrentHashMap<>();
    /** Rooms emptied whose unsubscribe is not sent yet; completes when it is. */
    private final Map<String, CompletableFuture<Void>> releasing = new ConcurrentHashMap<>();
    private final MessageBus bus;
    private final int maxBuffered;
    private final MembershipObserver observer;

    /**
     * @param maxBuffered live messages a catching-up member may have waiting
     * @param observer    told of each room's members becoming live and leaving ({@link RoomState})
     */
    LocalRooms(MessageBus bus, int maxBuffered, MembershipObserver observer) {
        this.bus = bus;
        this.maxBuffered = maxBuffered;
        this.observer = observer;
    }

    /** The room's state, or null when it has no member here. */
    RoomState find(String room) {
        return byName.get(room);
    }

    /**
     * Starts {@code member}'s catch-up in {@code room}, creating the room's state (and starting
     * its subscription) when it has none.
     */
    CatchUp startCatchUp(RoomMember member, String room, Since since) {
        while (true) {
            CatchUp catchUp = stateFor(room).startCatchUp(member, since);
            if (catchUp != null) {
                return catchUp;
            }
            // That state was emptied meanwhile and is leaving the map: the next lookup finds its successor.
        }
    }

    /** Removes {@code member} from {@code room}; the last one out releases the subscription. */
    void remove(RoomMember member, String room) {
        RoomState state = byName.get(room);
        if (state != null) {
            releaseIfEmptied(state, state.remove(member, () -> drop(state)));
        }
    }

    /** Undoes {@code catchUp}'s join if it is still pending; what was undone. */
    RoomState.Removal abandon(CatchUp catchUp) {
        RoomState state = catchUp.room;
        return releaseIfEmptied(state, state.abandon(catchUp, () -> drop(state)));
    }

    int count() {
        return byName.size();
    }

    Map<String, Integer> memberCounts() {
        return byName.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
    }

    private RoomState stateFor(String room) {
        RoomState[] created = new RoomState[1];
        RoomState state = byName.computeIfAbsent(room, r -> created[0] = new RoomState(r, maxBuffered, observer));
        if (created[0] != null) {
            CompletableFuture<Void> previous = releasing.get(room);
            CompletionStage<Void> started = previous == null ? subscribe(room) : previous.thenCompose(v -> subscribe(room));
            started.whenComplete((ok, failure) -> {
                if (failure == null) {
                    state.subscribed.complete(null);
                } else {
                    state.subscribed.completeExceptionally(failure);
                }
            });
        }
        return state;
    }

    private CompletionStage<Void> subscribe(String room) {
        try {
            return bus.subscribe(room);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Under the emptied state's lock: no joiner can find it any more; its unsubscribe is pending. */
    private void drop(RoomState state) {
        releasing.put(state.room, state.released);
        byName.remove(state.room, state);
    }

    /** Outside any lock: unsubscribes an emptied room once its subscription settled, then lets a successor subscribe. */
    private RoomState.Removal releaseIfEmptied(RoomState state, RoomState.Removal removal) {
        if (removal == RoomState.Removal.EMPTIED) {
            state.subscribed.whenComplete((ok, failure) -> {
                if (failure == null) {
                    bus.unsubscribe(state.room);
                }
                releasing.remove(state.room, state.released);
                state.released.complete(null);
            });
        }
        return removal;
    }
}
