package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PublishKey;
import io.roomcast.bus.local.LocalMessageBus;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RoomRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static final class RecordingMember implements RoomMember {
        final String id;
        /** Everything queued for this member, in order: message frames and the registry's join replies. */
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
            open = false;
        }

        List<String> messages() {
            return frames.stream().filter(f -> f.startsWith("{\"type\":\"message\"")).toList();
        }

        /** The offsets of the messages queued after the last join reply. */
        List<Long> offsetsAfterJoin() {
            int joined = 0;
            for (int i = 0; i < frames.size(); i++) {
                if (frames.get(i).startsWith("joined")) {
                    joined = i + 1;
                }
            }
            return frames.subList(joined, frames.size()).stream().map(RoomRegistryTest::offsetOf).toList();
        }
    }

    /**
     * The in-memory bus with history, whose subscriptions and history reads the test can hold:
     * {@code subscriptions} and {@code reads} get the pending steps when {@code holding}.
     */
    static final class RecordingBus implements MessageBus {
        final LocalMessageBus local = new LocalMessageBus(100, 1_000, TimeUnit.HOURS.toNanos(1), System::nanoTime);
        final List<String> calls = new CopyOnWriteArrayList<>();
        final BlockingQueue<CompletableFuture<Void>> subscriptions = new LinkedBlockingQueue<>();
        final BlockingQueue<HeldRead> reads = new LinkedBlockingQueue<>();
        volatile boolean down;
        volatile boolean holdSubscriptions;
        volatile boolean holdReads;
        /** When set, reads run on this executor (as the Redis bus's do). */
        volatile java.util.concurrent.Executor readThreads;

        @Override
        public void start(BusListener listener) {
            local.start(listener);
        }

        @Override
        public CompletionStage<Void> subscribe(String room) {
            calls.add("subscribe " + room);
            if (down) {
                return CompletableFuture.failedFuture(new BusUnavailableException("down"));
            }
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            if (holdSubscriptions) {
                subscriptions.add(subscribed);
            } else {
                subscribed.complete(null);
            }
            return subscribed;
        }

        @Override
        public void unsubscribe(String room) {
            calls.add("unsubscribe " + room);
        }

        @Override
        public CompletionStage<Position> publish(Envelope envelope, PublishKey key) {
            return down ? CompletableFuture.failedFuture(new BusUnavailableException("down")) : local.publish(envelope, key);
        }

        /** Held: the test reads when it chooses ({@link HeldRead#read}) and answers later. */
        @Override
        public CompletionStage<History> history(String room, HistoryQuery query) {
            if (holdReads) {
                HeldRead held = new HeldRead(room, query, new CompletableFuture<>());
                reads.add(held);
                return held.answer();
            }
            if (readThreads != null) {
                return CompletableFuture.supplyAsync(() -> local.history(room, query).toCompletableFuture().join(), readThreads);
            }
            return local.history(room, query);
        }

        record HeldRead(String room, HistoryQuery query, CompletableFuture<History> answer) {
            /** Hands the read's answer to the waiting join. */
            interface Done {
                void answer();
            }
        }

        /** Takes the next held read and reads the history now; the join continues only when the test answers. */
        HeldRead.Done readNow() throws Exception {
            HeldRead held = reads.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(held, "a history read was asked for");
            History read = local.history(held.room(), held.query()).toCompletableFuture().get();
            return () -> held.answer().complete(read);
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

    /** Joins and records the reply among the member's frames as {@code joined OFFSET RECOVERED}. */
    private CompletableFuture<Void> join(RecordingMember member, String room, Since since) {
        return registry.join(member, room, since,
                joined -> member.frames.add("joined " + joined.offset() + " " + joined.recovered())).toCompletableFuture();
    }

    private void joinNow(RecordingMember member, String room) throws Exception {
        join(member, room, null).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Accepted publish(RecordingMember member, String room, int n) throws Exception {
        return registry.publish(member, room, Json.createValue(n), null).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long offsetOf(String frame) {
        int at = frame.lastIndexOf("\"offset\":") + 9;
        return Long.parseLong(frame.substring(at, frame.indexOf(',', at)));
    }

    private String epochOf(String room) throws Exception {
        return bus.local.history(room, HistoryQuery.position()).toCompletableFuture().get().epoch();
    }

    @Test
    void firstMemberSubscribesAndLastMemberUnsubscribes() throws Exception {
        RecordingMember a = new RecordingMember("a");
        RecordingMember b = new RecordingMember("b");
        joinNow(a, "r");
        joinNow(b, "r");
        joinNow(a, "r");
        registry.leave(a, "r");
        assertEquals(List.of("subscribe r"), bus.calls);
        registry.leaveAll(b);
        assertEquals(List.of("subscribe r", "unsubscribe r"), bus.calls);
        assertEquals(0, registry.roomCount(), "an empty room leaves nothing behind");
    }

    @Test
    void failedSubscribeUndoesTheJoin() throws Exception {
        RecordingMember a = new RecordingMember("a");
        bus.down = true;
        ExecutionException refused = assertThrows(ExecutionException.class, () -> joinNow(a, "r"));
        assertEquals(ErrorCode.UNAVAILABLE, ((ProtocolException) refused.getCause()).code());
        assertEquals(0, registry.roomCount());
        assertEquals(Set.of(), registry.roomsOf(a));
        assertEquals(List.of(), a.frames, "no joined reply");
        bus.down = false;
        joinNow(a, "r");
        assertEquals(Set.of("r"), registry.roomsOf(a));
    }

    @Test
    void publishReachesEveryMemberWithTheSameFrameAndOffset() throws Exception {
        RecordingMember a = new RecordingMember("a");
        RecordingMember b = new RecordingMember("b");
        RecordingMember outsider = new RecordingMember("c");
        joinNow(a, "r");
        joinNow(b, "r");
        joinNow(outsider, "other");
        Accepted accepted = publish(a, "r", 42);
        assertEquals(1, a.messages().size());
        assertTrue(a.messages().get(0) == b.messages().get(0), "encoded once, the same text for everyone");
        assertTrue(a.messages().get(0).contains("\"id\":\"" + accepted.id() + "\""));
        assertTrue(a.messages().get(0).contains("\"from\":\"a\""));
        assertTrue(a.messages().get(0).endsWith(",\"offset\":1,\"epoch\":\"" + accepted.epoch() + "\"}"), a.messages().get(0));
        assertEquals(1, accepted.offset());
        assertEquals(epochOf("r"), accepted.epoch());
        assertFalse(accepted.duplicate());
        assertEquals(List.of(), outsider.messages());
    }

    @Test
    void aRepeatedKeyFromAnotherPublisherAnswersTheFirstMessageAndDeliversNothing() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        Accepted first = registry.publish(a, "r", Json.createValue(1), "retry-me").toCompletableFuture().get();
        Accepted again = registry.publish(Caller.anonymous("server"), "http:server", "r", Json.createValue(2), "retry-me")
                .toCompletableFuture().get();
        assertEquals(new Accepted(first.id(), 1, first.epoch(), true), again);
        assertEquals(1, a.messages().size(), "delivered once");
    }

    @Test
    void aKeyMustHaveOneTo64Characters() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        for (String bad : List.of("", "k".repeat(65))) {
            assertEquals(ErrorCode.BAD_REQUEST, assertThrows(ProtocolException.class,
                    () -> registry.publish(a, "r", Json.createValue(1), bad)).code());
        }
        assertEquals(1, registry.publish(a, "r", Json.createValue(1), "k".repeat(64)).toCompletableFuture().get().offset());
        assertEquals(1, a.messages().size(), "nothing refused was delivered");
    }

    @Test
    void idsNeverRepeatAcrossBootsOfANodeThatKeepsItsId() throws Exception {
        Set<String> ids = new HashSet<>();
        for (int boot = 0; boot < 2; boot++) {
            RoomRegistry booted = registry(Map.of("roomcast.node-id", "kept-node"));
            RecordingMember a = new RecordingMember("a");
            booted.join(a, "r", null, joined -> { }).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (int n = 0; n < 3; n++) {
                String id = booted.publish(a, "r", Json.createValue(n), null).toCompletableFuture().get().id();
                assertTrue(id.startsWith("kept-node-"), id);
                assertTrue(ids.add(id), "repeated id " + id + " among " + ids);
            }
        }
    }

    @Test
    void joinOfAConnectionThatClosedMeanwhileLeavesNothing() throws Exception {
        RecordingMember closing = new RecordingMember("a");
        closing.open = false; // its close (and leaveAll) already ran
        joinNow(closing, "r");
        assertEquals(0, registry.roomCount());
        assertEquals(Set.of(), registry.roomsOf(closing));
    }

    @Test
    void publishNeedsMembership() {
        RecordingMember a = new RecordingMember("a");
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> registry.publish(a, "r", Json.createValue(1), null));
        assertEquals(ErrorCode.NOT_MEMBER, refused.code());
    }

    @Test
    void publishWhileTheBusIsDownFailsWithUnavailable() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        bus.down = true;
        var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> registry.publish(a, "r", Json.createValue(1), null).toCompletableFuture().get());
        assertEquals(ErrorCode.UNAVAILABLE, ((ProtocolException) failure.getCause()).code());
        assertEquals(List.of(), a.messages(), "nothing was delivered");
    }

    @Test
    void roomLimitCountsDistinctRooms() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r1");
        joinNow(a, "r2");
        joinNow(a, "r2");
        ProtocolException refused = assertThrows(ProtocolException.class, () -> join(a, "r3", null));
        assertEquals(ErrorCode.TOO_MANY_ROOMS, refused.code());
        registry.leave(a, "r1");
        joinNow(a, "r3");
    }

    @Test
    void guardsMayRefuseJoinPublishAndHistory() throws Exception {
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
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ProtocolException.class, () -> join(a, "secret-1", null)).code());
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ProtocolException.class,
                () -> registry.history(a.caller(), "secret-1", HistoryQuery.page(0, 10))).code());
        assertEquals(0, registry.roomCount());
        joinNow(a, "readonly");
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(ProtocolException.class,
                () -> registry.publish(a, "readonly", Json.createValue(1), null)).code());
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
                    join(m, "shared", null).join();
                    join(m, "room-" + (i % 7), null).join();
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

    @Test
    void messagesArrivingDuringCatchUpAreDeliveredOnceInOffsetOrder() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        for (int n = 1; n <= 5; n++) {
            publish(a, "r", n);
        }
        bus.holdReads = true;
        RecordingMember b = new RecordingMember("b");
        CompletableFuture<Void> joining = join(b, "r", new Since(2, epochOf("r")));
        publish(a, "r", 6); // before the read: in the replay and in the buffer
        publish(a, "r", 7);
        RecordingBus.HeldRead.Done read = bus.readNow();
        publish(a, "r", 8); // after the read: only in the buffer
        publish(a, "r", 9);
        assertEquals(List.of(), b.frames, "nothing reaches the member before its joined reply");
        read.answer();
        joining.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        publish(a, "r", 10); // live
        assertEquals("joined 7 true", b.frames.get(0));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), b.offsetsAfterJoin());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), a.offsetsAfterJoin(), "the member already in the room saw each once");
    }

    @Test
    void sinceOfAnotherEpochJoinsWithAGapAndLiveMessagesOnly() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        publish(a, "r", 1);
        RecordingMember b = new RecordingMember("b");
        join(b, "r", new Since(0, "an-epoch-long-gone")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        publish(a, "r", 2);
        assertEquals("joined 1 false", b.frames.get(0));
        assertEquals(List.of(2L), b.offsetsAfterJoin());
    }

    @Test
    void joinWithoutSinceGetsThePositionThenOnlyNewerMessages() throws Exception {
        RecordingMember a = new RecordingMember("a");
        joinNow(a, "r");
        publish(a, "r", 1);
        bus.holdReads = true;
        RecordingMember b = new RecordingMember("b");
        CompletableFuture<Void> joining = join(b, "r", null);
        publish(a, "r", 2); // covered by the position: not sent
        RecordingBus.HeldRead.Done read = bus.readNow();
        publish(a, "r", 3);
        read.answer();
        joining.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals("joined 2 null", b.frames.get(0));
        assertEquals(List.of(3L), b.offsetsAfterJoin());
    }

    @Test
    void aSlowSubscribeHoldsNeitherOtherRoomsNorJoinsOfSubscribedRooms() throws Exception {
        joinNow(new RecordingMember("a"), "fast");
        bus.holdSubscriptions = true;
        CompletableFuture<Void> slow = join(new RecordingMember("s1"), "slow", null);
        CompletableFuture<Void> slowToo = join(new RecordingMember("s2"), "slow", null);
        joinNow(new RecordingMember("b"), "fast"); // answered although the slow room's subscribe hangs
        assertFalse(slow.isDone() || slowToo.isDone(), "joins of the slow room wait for its subscription");
        assertEquals(List.of("subscribe fast", "subscribe slow"), bus.calls, "one subscribe per room");
        bus.subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).complete(null);
        slow.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        slowToo.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(Map.of("fast", 2, "slow", 2), registry.memberCounts());
    }

    @Test
    void aRoomEmptiedDuringItsSubscribeUnsubscribesBeforeItsNextSubscribe() throws Exception {
        bus.holdSubscriptions = true;
        RecordingMember first = new RecordingMember("first");
        CompletableFuture<Void> abandoned = join(first, "r", null);
        registry.leaveAll(first);
        RecordingMember second = new RecordingMember("second");
        CompletableFuture<Void> joining = join(second, "r", null);
        assertEquals(List.of("subscribe r"), bus.calls, "the next subscribe waits for the unsubscribe");
        bus.subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).complete(null);
        abandoned.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        bus.subscriptions.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS).complete(null);
        joining.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of("subscribe r", "unsubscribe r", "subscribe r"), bus.calls);
        assertEquals(List.of(), first.frames, "a member gone before its join finished gets nothing");
        assertEquals(Map.of("r", 1), registry.memberCounts());
    }

    @Test
    void aFullCatchUpBufferClosesTheMemberAsASlowConsumer() throws Exception {
        RoomRegistry small = registry(Map.of("roomcast.outbox.max-messages", "3", "roomcast.history.size", "2"));
        RecordingMember a = new RecordingMember("a");
        small.join(a, "r", null, joined -> { }).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        bus.holdReads = true;
        RecordingMember b = new RecordingMember("b");
        CompletableFuture<Void> joining = small.join(b, "r", null, joined -> b.frames.add("joined")).toCompletableFuture();
        for (int n = 1; n <= 4; n++) {
            small.publish(a, "r", Json.createValue(n), null).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertFalse(b.open, "the fourth buffered message overflowed");
        bus.readNow().answer();
        joining.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        small.publish(a, "r", Json.createValue(5), null).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), b.frames, "no joined reply for a join that never took effect, nothing after the overflow");
        assertEquals(Set.of(), small.roomsOf(b));
        assertEquals(Map.of("r", 1), small.memberCounts());
    }

    @Test
    void anOverflowedOnlyJoinerReleasesTheRoomAndItsSubscription() throws Exception {
        RoomRegistry small = registry(Map.of("roomcast.outbox.max-messages", "3", "roomcast.history.size", "2"));
        List<String> told = new CopyOnWriteArrayList<>();
        small.observers = List.of(recorder(told));
        bus.holdReads = true;
        RecordingMember only = new RecordingMember("only");
        CompletableFuture<Void> joining = small.join(only, "r", null, joined -> only.frames.add("joined")).toCompletableFuture();
        for (int n = 1; n <= 4; n++) { // published over HTTP: nobody else is in the room
            small.publish(Caller.anonymous("http"), "http", "r", Json.createValue(n), null)
                    .toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertFalse(only.open, "closed as a slow consumer");
        bus.readNow().answer();
        joining.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(0, small.roomCount(), "the room's state is gone");
        assertEquals(List.of("subscribe r", "unsubscribe r"), bus.calls, "and so is its subscription");
        assertEquals(Set.of(), small.roomsOf(only));
        assertEquals(List.of(), only.frames);
        small.leaveAll(only); // its close, later
        assertEquals(List.of(), told, "never a member: no join or leave to tell");
    }

    @Test
    void aLeaveWhileTheJoinIsBeingToldIsToldAfterIt() throws Exception {
        RecordingMember member = new RecordingMember("m");
        Thread[] leaving = new Thread[1];
        MembershipObserver first = new MembershipObserver() {
            @Override
            public void joined(RoomMember m, String room) {
                // The member leaves from another thread while its join is being told.
                leaving[0] = new Thread(() -> registry.leave(m, room));
                leaving[0].start();
                awaitBlockedOrEnded(leaving[0]);
            }

            @Override
            public void left(RoomMember m, String room) {
            }
        };
        List<String> second = new CopyOnWriteArrayList<>();
        registry.observers = List.of(first, recorder(second));
        joinNow(member, "r");
        leaving[0].join(WAIT.toMillis());
        assertEquals(List.of("joined m r", "left m r"), second, "a leave told before its join leaves a ghost");
        assertEquals(0, registry.roomCount());
    }

    @Test
    void aConnectionClosedAsItsJoinStartsLeavesNoMembership() throws Exception {
        RecordingMember closing = new RecordingMember("a");
        List<String> told = new CopyOnWriteArrayList<>();
        registry.observers = List.of(recorder(told));
        registry.guards = List.of(new RoomGuard() {
            @Override
            public void checkJoin(Caller caller, String room) {
                closing.open = false; // its close and leaveAll run before the join records the room
                registry.leaveAll(closing);
            }

            @Override
            public void checkPublish(Caller caller, String room) {
            }
        });
        joinNow(closing, "r");
        assertEquals(0, registry.roomCount());
        assertEquals(List.of("subscribe r", "unsubscribe r"), bus.calls);
        assertEquals(List.of(), told, "a closed connection never becomes a member");
    }

    /** An observer that records what it is told as "joined|left MEMBER ROOM". */
    private static MembershipObserver recorder(List<String> told) {
        return new MembershipObserver() {
            @Override
            public void joined(RoomMember member, String room) {
                told.add("joined " + member.id() + " " + room);
            }

            @Override
            public void left(RoomMember member, String room) {
                told.add("left " + member.id() + " " + room);
            }
        };
    }

    /** Waits until {@code thread} waits for a monitor (a lock the caller holds) or has ended. */
    private static void awaitBlockedOrEnded(Thread thread) {
        while (thread.isAlive() && thread.getState() != Thread.State.BLOCKED) {
            Thread.yield();
        }
    }

    @Test
    void membersJoiningWithSinceWhileMessagesKeepArrivingSeeEveryOffsetOnceInOrder() throws Exception {
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(2);
        bus.readThreads = readers;
        try {
            RecordingMember publisher = new RecordingMember("publisher");
            joinNow(publisher, "busy");
            java.util.concurrent.atomic.AtomicBoolean joining = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
            Thread publishing = new Thread(() -> { // publishes for as long as members join, at most 100,000 messages
                for (int n = 1; n <= 100_000 && (joining.get() || n <= 200); n++) {
                    published.set(registry.publish(publisher, "busy", Json.createValue(n), null).toCompletableFuture().join().offset());
                }
            });
            publishing.start();
            List<RecordingMember> joiners = new ArrayList<>();
            List<Long> sinces = new ArrayList<>();
            for (int j = 0; j < 40; j++) {
                History now = bus.local.history("busy", HistoryQuery.position()).toCompletableFuture().get();
                RecordingMember joiner = new RecordingMember("j" + j);
                joiners.add(joiner);
                sinces.add(now.top());
                join(joiner, "busy", new Since(now.top(), now.epoch())).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            joining.set(false);
            publishing.join(WAIT.toMillis());
            assertFalse(publishing.isAlive());
            long messages = published.get();
            for (int j = 0; j < joiners.size(); j++) {
                RecordingMember joiner = joiners.get(j);
                String[] reply = joiner.frames.get(0).split(" ");
                long from = Boolean.parseBoolean(reply[2]) ? sinces.get(j) : Long.parseLong(reply[1]);
                List<Long> expected = java.util.stream.LongStream.rangeClosed(from + 1, messages).boxed().toList();
                assertEquals(expected, joiner.offsetsAfterJoin(), joiner.id + " got every offset after its since once, in order");
            }
        } finally {
            readers.shutdownNow();
        }
    }
}
