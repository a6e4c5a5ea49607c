package io.roomcast.room;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.PublishKey;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Room membership on this node, and the path of every room message: publish hands an
 * envelope to the bus; the bus hands it back (here or on other nodes) to
 * {@link #onBusMessage}, which gives the same encoded frame to every local member.
 *
 * <p>Local members are reached through the bus too, never directly: one path keeps the
 * room's order (its offsets) identical for local and remote members, and the in-memory bus
 * makes the round trip a plain method call.
 *
 * <p>Joining (contract section 7): the first local member of a room starts the bus
 * subscription; every joiner then waits, asynchronously, for that subscription and for one
 * history read (position, plus the missed messages with {@code since}), and its
 * {@link RoomState} merges replay and live messages. No lock is held across bus I/O
 * ({@link LocalRooms} keeps the rooms and their subscriptions).
 */
@ApplicationScoped
public class RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());

    private final Map<RoomMember, Set<String>> roomsByMember = new ConcurrentHashMap<>();
    private LocalRooms local;
    private MessageIds ids;

    @Inject
    MessageBus bus;

    @Inject
    RoomcastConfig config;

    /** Every {@link RoomGuard} bean; a plain list in unit tests. */
    Iterable<RoomGuard> guards = List.of();

    @Inject
    void setGuards(Instance<RoomGuard> guardBeans) {
        this.guards = guardBeans;
    }

    /** Every {@link MembershipObserver} bean (presence); a plain list in unit tests. */
    Iterable<MembershipObserver> observers = List.of();

    @Inject
    void setObservers(Instance<MembershipObserver> observerBeans) {
        this.observers = observerBeans;
    }

    @PostConstruct
    void start() {
        local = new LocalRooms(bus, config.outboxMaxMessages(), new Observers());
        ids = new MessageIds(config.nodeId());
        bus.start(this::onBusMessage);
    }

    @PreDestroy
    void stop() {
        bus.close();
    }

    /**
     * Makes {@code member} a member of {@code room}. Refusals of the request itself (bad room,
     * too many rooms, a guard) are thrown at once; the stage completes once {@code reply} has
     * been given the {@code joined} outcome, or fails with {@code unavailable} (the join undone).
     * {@code reply} runs on a bus or the calling thread, before any of the room's messages reach
     * the member, replayed ones included. Joining a room again only answers again (no replay).
     * A member whose catch-up buffer overflowed is being closed as a slow consumer: its join
     * is undone without a reply (the stage completes), and the room released if it was the last.
     *
     * @param since where a rejoining client left off, or null
     */
    public CompletionStage<Void> join(RoomMember member, String room, Since since, Consumer<Joined> reply) {
        RoomId.require(room);
        Set<String> rooms = roomsByMember.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet());
        if (rooms.contains(room)) {
            return read(room, HistoryQuery.position())
                    .thenAccept(h -> reply.accept(new Joined(h.top(), h.epoch(), since == null ? null : false)));
        }
        if (rooms.size() >= config.maxRoomsPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS,
                    "A connection may be in at most " + config.maxRoomsPerConnection() + " rooms");
        }
        guards.forEach(guard -> guard.checkJoin(member.caller(), room));
        rooms.add(room);
        CatchUp catchUp = local.startCatchUp(member, room, since);
        HistoryQuery query = since == null ? HistoryQuery.position() : HistoryQuery.since(since.offset(), config.historySize());
        return catchUp.room.subscribed.thenCompose(subscribed -> bus.history(room, query)).handle((history, failure) -> {
            // Undone: the bus failed, or the member overflowed its catch-up buffer or closed (no reply then).
            boolean undone = failure != null || catchUp.room.finishCatchUp(catchUp, history, reply) == RoomState.Finish.UNDONE;
            if (undone && local.abandon(catchUp) != RoomState.Removal.ABSENT) {
                rooms.remove(room); // undone like a leave; abandon released the room if it was the last member
            }
            if (!member.isOpen()) {
                // Closed while joining: its leaveAll may have run before this join's bookkeeping,
                // even before `rooms` had this room (then only this removal finds it).
                removeFromRoom(member, room);
                leaveAll(member);
            }
            if (failure != null) {
                throw new CompletionException(ProtocolException.of(failure));
            }
            return null;
        });
    }

    /** Ends {@code member}'s membership of {@code room}; {@code not_member} if it had none. */
    public void leave(RoomMember member, String room) {
        RoomId.require(room);
        Set<String> rooms = roomsByMember.get(member);
        if (rooms == null || !rooms.remove(room)) {
            throw notMember(room);
        }
        removeFromRoom(member, room);
    }

    /** Ends every membership of a closed connection; nothing of it stays behind. */
    public void leaveAll(RoomMember member) {
        Set<String> rooms = roomsByMember.remove(member);
        if (rooms != null) {
            rooms.forEach(room -> removeFromRoom(member, room));
        }
    }

    /**
     * Ends, as {@link #leave} does, {@code member}'s memberships of the rooms its caller may no
     * longer join: its groups changed with a token refresh (contract section 10). Only a
     * {@code forbidden} refusal counts; another guard's (a moved shard) leaves the member where it is.
     * Call on the member's own request thread, as its joins and leaves are.
     *
     * @return the rooms left
     */
    public List<String> leaveForbidden(RoomMember member) {
        List<String> left = new ArrayList<>();
        Set<String> rooms = roomsByMember.getOrDefault(member, Set.of());
        for (String room : Set.copyOf(rooms)) {
            if (!mayStillJoin(member.caller(), room) && rooms.remove(room)) {
                removeFromRoom(member, room);
                left.add(room);
            }
        }
        return left;
    }

    private boolean mayStillJoin(Caller caller, String room) {
        for (RoomGuard guard : guards) {
            try {
                guard.checkJoin(caller, room);
            } catch (ProtocolException refusal) {
                if (refusal.code() == ErrorCode.FORBIDDEN) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Observers are told by the room's state, under its lock ({@link RoomState}). */
    private void removeFromRoom(RoomMember member, String room) {
        local.remove(member, room);
    }

    /**
     * Publishes for a member of {@code room}. The stage completes with the message id and
     * offset once the bus has accepted the message, or fails with {@code unavailable} (then the
     * message may or may not have been stored: a retry with the same key is safe).
     *
     * @param key the publisher's idempotency key ({@link IdempotencyKey}), or null
     */
    public CompletionStage<Accepted> publish(RoomMember member, String room, JsonValue data, String key) {
        RoomId.require(room);
        Set<String> rooms = roomsByMember.get(member);
        if (rooms == null || !rooms.contains(room)) {
            throw notMember(room);
        }
        return publish(member.caller(), member.id(), room, data, key);
    }

    /**
     * Publishes on behalf of a caller that is not a connection (the HTTP API).
     *
     * @param publisherKey identifies the publisher whose messages must stay in order
     * @param key          the publisher's idempotency key, or null
     */
    public CompletionStage<Accepted> publish(Caller caller, String publisherKey, String room, JsonValue data, String key) {
        RoomId.require(room);
        IdempotencyKey.require(key);
        guards.forEach(guard -> guard.checkPublish(caller, room));
        String id = ids.next();
        long nowMicros = epochMicros();
        String frame = RoomMessage.encode(room, data, caller.name(), nowMicros / 1000, id);
        Envelope envelope = new Envelope(Envelope.CURRENT_VERSION, config.nodeId(), room, publisherKey, nowMicros, frame);
        try {
            return bus.publish(envelope, key == null ? null : new PublishKey(key, id)).handle((position, failure) -> {
                if (failure != null) {
                    throw new CompletionException(ProtocolException.of(failure));
                }
                return position.duplicate()
                        ? new Accepted(position.duplicateOf(), position.offset(), position.epoch(), true)
                        : new Accepted(id, position.offset(), position.epoch(), false);
            });
        } catch (BusUnavailableException e) {
            throw ProtocolException.of(e);
        }
    }

    /**
     * Reads {@code room}'s history for {@code caller}, who needs the right to join it (not
     * membership). Fails with {@code unavailable} when the bus cannot read.
     */
    public CompletionStage<History> history(Caller caller, String room, HistoryQuery query) {
        RoomId.require(room);
        guards.forEach(guard -> guard.checkJoin(caller, room));
        return read(room, query);
    }

    private CompletionStage<History> read(String room, HistoryQuery query) {
        CompletionStage<History> read;
        try {
            read = bus.history(room, query);
        } catch (BusUnavailableException e) {
            throw ProtocolException.of(e);
        }
        return read.handle((history, failure) -> {
            if (failure != null) {
                throw new CompletionException(ProtocolException.of(failure));
            }
            return history;
        });
    }

    /** Hands a bus message to every local member of its room. Runs on a bus thread. */
    void onBusMessage(Envelope envelope) {
        RoomState state = local.find(envelope.room());
        if (state != null) { // else no local member: a late message after the last one left
            state.deliver(envelope);
        }
    }

    /** Rooms with at least one member on this node. */
    public int roomCount() {
        return local.count();
    }

    /** Local member count of each room with members on this node. */
    public Map<String, Integer> memberCounts() {
        return local.memberCounts();
    }

    /** The rooms {@code member} is in (empty when none). */
    public Set<String> roomsOf(RoomMember member) {
        Set<String> rooms = roomsByMember.get(member);
        return rooms == null ? Set.of() : Set.copyOf(rooms);
    }

    /** Wall-clock time in microseconds: comparable across nodes, fine enough for a 1 ms p99. */
    public static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Tells every {@link #observers observer}; runs under a room's lock, so one that throws is
     * logged and the others are still told.
     */
    private final class Observers implements MembershipObserver {

        @Override
        public void joined(RoomMember member, String room) {
            observers.forEach(observer -> tell(() -> observer.joined(member, room)));
        }

        @Override
        public void left(RoomMember member, String room) {
            observers.forEach(observer -> tell(() -> observer.left(member, room)));
        }

        private void tell(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A membership observer failed", e);
            }
        }
    }

    private static ProtocolException notMember(String room) {
        return new ProtocolException(ErrorCode.NOT_MEMBER, "Not a member of room " + room);
    }
}
