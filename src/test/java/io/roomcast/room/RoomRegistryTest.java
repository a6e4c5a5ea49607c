package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.local.LocalMessageBus;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RoomRegistryTest {

    static final class RecordingMember implements RoomMember {
        final String id;
        final List<String> frames = new CopyOnWriteArrayList<>();

        RecordingMember(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Caller caller() {
            return Caller.anonymous(id);
        }

        @Override
        public void deliver(String frame, long acceptedAtMicros) {
            frames.add(frame);
        }

        volatile boolean open = true;

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void disconnect(CloseCode code) {
        }
    }

    /** Records subscriptions; can be told to refuse them. */
    static final class RecordingBus implements MessageBus {
        final LocalMessageBus local = new LocalMessageBus();
        final List<String> calls = new CopyOnWriteArrayList<>();
        boolean down;

        @Override
        public void start(BusListener listener) {
            local.start(listener);
        }

        @Override
        public void subscribe(String room) {
            if (down) {
                throw new BusUnavailableException("down");
            }
            calls.add("subscribe " + room);
        }

        @Override
        public void unsubscribe(String room) {
            calls.add("unsubscribe " + room);
        }

        @Override
        public CompletionStage<Void> publish(Envelope envelope) {
            return down ? CompletableFuture.failedFuture(new BusUnavailableException("down")) : local.publish(envelope);
        }

        @Override
        public BusHealth health() {
            return new BusHealth(!down, "test", down ? "down" : "up");
        }

        @Override
        public void close() {
        }
    }

    private final RecordingBus bus = new RecordingBus();
    private final RoomRegistry registry = registry(Map.of("roomcast.max-rooms-per-connection", "2", "roomcast.node-id", "n1"));

    private RoomRegistry registry(Map<String, String> config) {
        RoomRegistry created = new RoomRegistry();
        created.bus = bus;
        created.config = new RoomcastConfig(key -> Optional.ofNullable(config.get(key)));
        created.start();
        return created;
    }

    @Test
    void firstMemberSubscribesAndLastMemberUnsubscribes() {
        RecordingMember a = new RecordingMember("a");
        RecordingMember b = new RecordingMember("b");
        registry.join(a, "r");
        registry.join(b, "r");
        registry.join(a, "r");
        registry.leave(a, "r");
        assertEquals(List.of("subscribe r"), bus.calls);
        registry.leaveAll(b);
        assertEquals(List.of("subscribe r", "unsubscribe r"), bus.calls);
        assertEquals(0, registry.roomCount(), "an empty room leaves nothing behind");
    }

    @Test
    void failedSubscribeUndoesTheJoin() {
        RecordingMember a = new RecordingMember("a");
        bus.down = true;
        ProtocolException refused = assertThrows(ProtocolException.class, () -> registry.join(a, "r"));
        assertEquals(ErrorCode.UNAVAILABLE, refused.code());
        assertEquals(0, registry.roomCount());
        assertEquals(Set.of(), registry.roomsOf(a));
        bus.down = false;
        registry.join(a, "r");
        assertEquals(Set.of("r"), registry.roomsOf(a));
    }

    @Test
    void publishReachesEveryMemberWithTheSameFrame() throws Exception {
        RecordingMember a = new RecordingMember("a");
        RecordingMember b = new RecordingMember("b");
        RecordingMember outsider = new RecordingMember("c");
        registry.join(a, "r");
        registry.join(b, "r");
        registry.join(outsider, "other");
        String id = registry.publish(a, "r", Json.createValue(42)).toCompletableFuture().get();
        assertEquals(1, a.frames.size());
        assertTrue(a.frames.get(0) == b.frames.get(0), "encoded once, the same text for everyone");
        assertTrue(a.frames.get(0).contains("\"id\":\"" + id + "\""));
        assertTrue(a.frames.get(0).contains("\"from\":\"a\""));
        assertEquals(List.of(), outsider.frames);
    }

    @Test
    void joinOfAConnectionThatClosedMeanwhileLeavesNothing() {
        RecordingMember closing = new RecordingMember("a");
        closing.open = false; // its close (and leaveAll) already ran
        registry.join(closing, "r");
        assertEquals(0, registry.roomCount());
        assertEquals(Set.of(), registry.roomsOf(closing));
    }

    @Test
    void publishNeedsMembership() {
        RecordingMember a = new RecordingMember("a");
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> registry.publish(a, "r", Json.createValue(1)));
        assertEquals(ErrorCode.NOT_MEMBER, refused.code());
    }

    @Test
    void publishWhileTheBusIsDownFailsWithUnavailable() {
        RecordingMember a = new RecordingMember("a");
        registry.join(a, "r");
        bus.down = true;
        var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> registry.publish(a, "r", Json.createValue(1)).toCompletableFuture().get());
        assertEquals(ErrorCode.UNAVAILABLE, ((ProtocolException) failure.getCause()).code());
        assertEquals(List.of(), a.frames, "nothing was delivered");
    }

    @Test
    void roomLimitCountsDistinctRooms() {
        RecordingMember a = new RecordingMember("a");
        registry.join(a, "r1");
        registry.join(a, "r2");
        registry.join(a, "r2");
        ProtocolException refused = assertThrows(ProtocolException.class, () -> registry.join(a, "r3"));
        assertEquals(ErrorCode.TOO_MANY_ROOMS, refused.code());
        registry.leave(a, "r1");
        registry.join(a, "r3");
    }

    @Test
    void guardsMayRefuseJoinAndPublish() {
        registry.guards = List.of(new RoomGuard() {
            @Override
            public void checkJoin(Caller caller, String room) {
                if (room.startsWith("secret")) {
                    throw new ProtocolException(ErrorCode.FORBIDDEN, "no");
                }
            }

            @Override
            public void checkPublish(Caller caller, String room) {
                if (room.equals("readonly")) {
                    throw new ProtocolException(ErrorCode.FORBIDDEN, "no");
                }
            }
        });
        RecordingMember a = new RecordingMember("a");
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ProtocolException.class, () -> registry.join(a, "secret-1")).code());
        assertEquals(0, registry.roomCount());
        registry.join(a, "readonly");
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ProtocolException.class,
                () -> registry.publish(a, "readonly", Json.createValue(1))).code());
    }

    @Test
    void membersLeavingAndJoiningConcurrentlyKeepTheBookkeepingExact() throws Exception {
        int threads = 4;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    RecordingMember m = new RecordingMember(id + "-" + i);
                    registry.join(m, "shared");
                    registry.join(m, "room-" + (i % 7));
                    registry.leaveAll(m);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(0, registry.roomCount());
        long subscribes = bus.calls.stream().filter(c -> c.startsWith("subscribe")).count();
        long unsubscribes = bus.calls.stream().filter(c -> c.startsWith("unsubscribe")).count();
        assertEquals(subscribes, unsubscribes, "every subscription was undone exactly once");
    }
}
