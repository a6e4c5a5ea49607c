package io.roomcast.room;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.MessageBus;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Room membership on this node, and the path of every room message: publish hands an
 * envelope to the bus; the bus hands it back (here or on other nodes) to
 * {@link #onBusMessage}, which gives the same encoded frame to every local member.
 *
 * <p>Local members are reached through the bus too, never directly: one path keeps the
 * per-publisher order identical for local and remote members, and the in-memory bus makes the
 * round trip a plain method call.
 *
 * <p>Membership changes of one room are serialized by the map's per-key lock, which also
 * makes "first member subscribes, last member unsubscribes" atomic. Delivery only reads the
 * concurrent sets, so it never waits for a join or a leave.
 */
@ApplicationScoped
public class RoomRegistry {

    private final Map<String, Set<RoomMember>> membersByRoom = new ConcurrentHashMap<>();
    private final Map<RoomMember, Set<String>> roomsByMember = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

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
        bus.start(this::onBusMessage);
    }

    @PreDestroy
    void stop() {
        bus.close();
    }

    /** Makes {@code member} a member of {@code room}; joining twice is not an error. */
    public void join(RoomMember member, String room) {
        RoomId.require(room);
        Set<String> rooms = roomsByMember.computeIfAbsent(member, m -> ConcurrentHashMap.newKeySet());
        if (rooms.contains(room)) {
            return;
        }
        if (rooms.size() >= config.maxRoomsPerConnection()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS,
                    "A connection may be in at most " + config.maxRoomsPerConnection() + " rooms");
        }
        guards.forEach(guard -> guard.checkJoin(member.caller(), room));
        try {
            membersByRoom.compute(room, (r, members) -> {
                Set<RoomMember> joined = members;
                if (joined == null) {
                    bus.subscribe(r); // throws before anything changed: the join is undone
                    joined = ConcurrentHashMap.newKeySet();
                }
                joined.add(member);
                return joined;
            });
        } catch (BusUnavailableException e) {
            throw ProtocolException.of(e);
        }
        rooms.add(room);
        observers.forEach(observer -> observer.joined(member, room));
        if (!member.isOpen()) {
            leaveAll(member); // closed while joining: its leaveAll may have run before the add
        }
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

    private void removeFromRoom(RoomMember member, String room) {
        membersByRoom.computeIfPresent(room, (r, members) -> {
            members.remove(member);
            if (members.isEmpty()) {
                bus.unsubscribe(r);
                return null;
            }
            return members;
        });
        observers.forEach(observer -> observer.left(member, room));
    }

    /**
     * Publishes for a member of {@code room}. The stage completes with the message id once
     * the bus has accepted the message, or fails with {@code unavailable}.
     */
    public CompletionStage<String> publish(RoomMember member, String room, JsonValue data) {
        RoomId.require(room);
        Set<String> rooms = roomsByMember.get(member);
        if (rooms == null || !rooms.contains(room)) {
            throw notMember(room);
        }
        return publish(member.caller(), member.id(), room, data);
    }

    /**
     * Publishes on behalf of a caller that is not a connection (the HTTP API).
     *
     * @param publisherKey identifies the publisher whose messages must stay in order
     */
    public CompletionStage<String> publish(Caller caller, String publisherKey, String room, JsonValue data) {
        RoomId.require(room);
        guards.forEach(guard -> guard.checkPublish(caller, room));
        String id = config.nodeId() + "-" + Long.toString(sequence.incrementAndGet(), 36);
        long nowMicros = epochMicros();
        String frame = RoomMessage.encode(room, data, caller.name(), nowMicros / 1000, id);
        Envelope envelope = new Envelope(Envelope.CURRENT_VERSION, config.nodeId(), room, publisherKey, nowMicros, frame);
        try {
            return bus.publish(envelope).handle((ok, failure) -> {
                if (failure != null) {
                    throw new CompletionException(ProtocolException.of(failure));
                }
                return id;
            });
        } catch (BusUnavailableException e) {
            throw ProtocolException.of(e);
        }
    }

    /** Hands a bus message to every local member of its room. Runs on a bus thread. */
    void onBusMessage(Envelope envelope) {
        Set<RoomMember> members = membersByRoom.get(envelope.room());
        if (members == null) {
            return; // no local member: a late message after the last one left
        }
        for (RoomMember member : members) {
            member.deliver(envelope.frame(), envelope.acceptedAtMicros());
        }
    }

    /** Rooms with at least one member on this node. */
    public int roomCount() {
        return membersByRoom.size();
    }

    /** Local member count of each room with members on this node. */
    public Map<String, Integer> memberCounts() {
        return membersByRoom.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size()));
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

    private static ProtocolException notMember(String room) {
        return new ProtocolException(ErrorCode.NOT_MEMBER, "Not a member of room " + room);
    }
}
