package io.roomcast.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link MessageBus} must do, seen from the room layer. Each implementation's test
 * extends this class and says how to make a started bus for one node, how a second node
 * publishes into the same rooms, and how a room's history gets lost.
 */
@Timeout(60)
public abstract class MessageBusContract {

    protected static final Duration WAIT = Duration.ofSeconds(10);
    protected static final int HISTORY = 100;
    /** Idempotency keys each bus under test keeps per room ({@code roomcast.history.keys-per-room}). */
    protected static final int KEYS_PER_ROOM = 20;
    private final List<MessageBus> buses = new ArrayList<>();

    /** A started bus for node {@code nodeId}, healthy, delivering to {@code listener}, keeping {@code historySize} per room. */
    protected abstract MessageBus startBus(String nodeId, BusListener listener, int historySize) throws Exception;

    /** A bus of another node that publishes into the same rooms as {@code bus} (the in-memory bus: itself). */
    protected abstract MessageBus otherNode(MessageBus bus) throws Exception;

    /** Makes {@code room} lose its history as the bus can (Redis: its keys deleted; memory: expiry). */
    protected abstract void loseHistory(String room) throws Exception;

    protected final MessageBus bus(String nodeId, BusListener listener) throws Exception {
        return bus(nodeId, listener, HISTORY);
    }

    protected final MessageBus bus(String nodeId, BusListener listener, int historySize) throws Exception {
        MessageBus bus = startBus(nodeId, listener, historySize);
        buses.add(bus);
        return bus;
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(MessageBus::close);
    }

    protected static Envelope envelope(String origin, String room, String publisher, int n) {
        return new Envelope(Envelope.CURRENT_VERSION, origin, room, publisher, 1_000_000L + n,
                "{\"type\":\"message\",\"room\":\"" + room + "\",\"data\":" + n + "}");
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void subscribedRoomReceivesThePublishedEnvelopeWithItsOffset() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add);
        await(bus.subscribe("lobby"));
        Envelope sent = envelope("node-a", "lobby", "p1", 1);
        Position position = await(bus.publish(sent));
        assertEquals(1, position.offset());
        assertNotNull(position.epoch());
        Envelope arrived = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(sent.positioned(1, position.epoch()), arrived);
        assertTrue(arrived.frame().endsWith(",\"data\":1,\"offset\":1,\"epoch\":\"" + position.epoch() + "\"}"),
                "the live frame names its epoch: " + arrived.frame());
        assertTrue(bus.health().up(), bus.health().toString());
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        bus.close(); // the registry closes the bus it started
        bus.close(); // and the container destroys the bean
    }

    @Test
    void concurrentPublishersEachKeepTheirOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 300;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(publishers * perPublisher);
        MessageBus bus = bus("node-a", e -> {
            seen.computeIfAbsent(e.publisher(), p -> new ArrayList<>()).add((int) (e.acceptedAtMicros() - 1_000_000L));
            all.countDown();
        });
        await(bus.subscribe("order"));
        publishConcurrently(List.of(bus), publishers, perPublisher, "order");
        assertTrue(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "every message arrived: " + all.getCount() + " missing");
        List<Integer> expected = IntStream.range(0, perPublisher).boxed().toList();
        seen.forEach((publisher, order) -> assertEquals(expected, order, publisher + " kept its order"));
        assertEquals(publishers, seen.size());
    }

    /**
     * A publisher's acks follow its publishes: a connection sends each {@code ack} when its
     * publish completes, so completions out of order reach the client as acks out of order.
     * Two threads publish for one publisher, so that each finds the other sending and queues:
     * what completes together in one batch must complete in the order it was offered.
     */
    @Test
    void publishesCompleteInTheOrderTheyWereMadeAlsoWhenBatched() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        int perThread = 400;
        Map<Integer, List<Integer>> completed = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int thread = t;
                List<Integer> order = new CopyOnWriteArrayList<>();
                completed.put(thread, order);
                done.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<Position>> sent = new ArrayList<>();
                    for (int n = 0; n < perThread; n++) {
                        int seq = n;
                        sent.add(bus.publish(envelope("node-a", "acks", "p", n)).toCompletableFuture()
                                .whenComplete((position, failure) -> order.add(seq)));
                    }
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            threads.shutdownNow();
        }
        List<Integer> expected = IntStream.range(0, perThread).boxed().toList();
        completed.forEach((thread, order) -> assertEquals(expected, order, "thread " + thread + "'s publishes completed in order"));
    }

    @Test
    void offsetsAreContiguousFromOneInDeliveryOrderWithPublishersOnTwoNodes() throws Exception {
        int perPublisher = 200;
        List<Long> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(2 * perPublisher);
        MessageBus a = bus("node-a", e -> {
            delivered.add(e.offset());
            all.countDown();
        });
        await(a.subscribe("total"));
        List<Position> positions = publishConcurrently(List.of(a, otherNode(a)), 2, perPublisher, "total");
        assertTrue(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), all.getCount() + " missing");
        List<Long> expected = LongStream.rangeClosed(1, 2L * perPublisher).boxed().toList();
        assertEquals(expected, delivered, "one total order: offsets 1, 2, 3... in delivery order");
        assertEquals(expected, positions.stream().map(Position::offset).sorted().toList(), "each publish got its own offset");
        assertEquals(1, positions.stream().map(Position::epoch).distinct().count(), "one epoch");
    }

    @Test
    void historyReadsSelectRangesOldestFirst() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        String epoch = publish(bus, "ranges", 10);
        History since = await(bus.history("ranges", HistoryQuery.since(3, HISTORY)));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L), offsetsOf(since));
        assertEquals(10, since.top());
        assertEquals(4, since.firstOffset());
        assertTrue(since.continues(3, epoch), "everything after 3 is there");
        assertEquals(List.of(4L, 5L), offsetsOf(await(bus.history("ranges", HistoryQuery.page(6, 2)))));
        assertEquals(List.of(8L, 9L, 10L), offsetsOf(await(bus.history("ranges", HistoryQuery.page(0, 3)))));
        History position = await(bus.history("ranges", HistoryQuery.position()));
        assertEquals(new History(epoch, 10, 11, List.of()), position);
        assertTrue(position.continues(10, epoch), "a client that saw the top missed nothing");
        assertFalse(position.continues(11, epoch), "an offset beyond the top is not this history's");
    }

    @Test
    void historyKeepsOnlyTheLastSizeMessages() throws Exception {
        MessageBus bus = bus("node-a", e -> { }, 5);
        String epoch = publish(bus, "small", 8);
        History all = await(bus.history("small", HistoryQuery.since(0, 5)));
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), offsetsOf(all));
        assertFalse(all.continues(0, epoch), "messages 1 to 3 are gone: a gap");
        assertTrue(all.continues(3, epoch));
    }

    @Test
    void lostHistoryStartsANewEpochFromOffsetOne() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        String before = publish(bus, "lost", 3);
        loseHistory("lost");
        History after = await(bus.history("lost", HistoryQuery.since(3, HISTORY)));
        assertNotEquals(before, after.epoch());
        assertEquals(0, after.top());
        assertFalse(after.continues(3, before), "an offset of the old epoch never replays");
        Position next = await(bus.publish(envelope("node-a", "lost", "p", 4)));
        assertEquals(new Position(1, after.epoch()), next, "the epoch a read created is the one publishes continue");
    }

    @Test
    void historyOffPublishesFramesUnchangedWithoutOffsets() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add, 0);
        await(bus.subscribe("plain"));
        Envelope sent = envelope("node-a", "plain", "p1", 1);
        assertEquals(Position.NONE, await(bus.publish(sent)));
        assertEquals(sent, received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(History.NONE, await(bus.history("plain", HistoryQuery.since(0, 50))));
    }

    @Test
    void aRepeatedKeyFromAnyNodeIsNeitherStoredNorDeliveredAndAnswersTheFirstMessage() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add);
        await(bus.subscribe("keyed"));
        Position first = await(bus.publish(envelope("node-a", "keyed", "p1", 1), new PublishKey("k1", "id-1")));
        assertEquals(new Position(1, first.epoch()), first);
        Position again = await(otherNode(bus).publish(envelope("node-b", "keyed", "p2", 2), new PublishKey("k1", "id-2")));
        assertEquals(new Position(1, first.epoch(), "id-1"), again, "the first message's offset and id, marked duplicate");
        assertTrue(again.duplicate());
        assertEquals(new Position(2, first.epoch()), await(bus.publish(envelope("node-a", "keyed", "p1", 3), new PublishKey("k2", "id-3"))));
        assertEquals(new Position(3, first.epoch()), await(bus.publish(envelope("node-a", "keyed", "p1", 4))), "no key: never a duplicate");
        List<Long> deliveredData = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Envelope next = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(next, "message " + (i + 1) + " delivered");
            deliveredData.add(next.acceptedAtMicros() - 1_000_000L);
        }
        assertEquals(List.of(1L, 3L, 4L), deliveredData, "the duplicate was not delivered");
        assertEquals(List.of(1L, 2L, 3L), offsetsOf(await(bus.history("keyed", HistoryQuery.page(0, 10)))), "nor stored");
    }

    @Test
    void keysLastWithTheHistoryAndOnlyTheNewestAreKept() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        for (int n = 0; n <= KEYS_PER_ROOM; n++) {
            await(bus.publish(envelope("node-a", "bounded", "p", n), new PublishKey("key-" + n, "id-" + n)));
        }
        Position newest = await(bus.publish(envelope("node-a", "bounded", "p", 0), new PublishKey("key-" + KEYS_PER_ROOM, "late")));
        assertEquals("id-" + KEYS_PER_ROOM, newest.duplicateOf(), "the newest keys are kept");
        Position oldest = await(bus.publish(envelope("node-a", "bounded", "p", 0), new PublishKey("key-0", "late")));
        assertEquals(new Position(KEYS_PER_ROOM + 2, newest.epoch()), oldest, "beyond the bound the oldest key is forgotten");
        loseHistory("bounded");
        History joined = await(bus.history("bounded", HistoryQuery.position())); // a join starts the new epoch
        Position afterLoss = await(bus.publish(envelope("node-a", "bounded", "p", 0), new PublishKey("key-" + KEYS_PER_ROOM, "new")));
        assertEquals(new Position(1, joined.epoch()), afterLoss, "a new epoch has none of the old keys");
        assertNotEquals(newest.epoch(), afterLoss.epoch());
    }

    @Test
    void historyOffIgnoresKeys() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add, 0);
        await(bus.subscribe("plain-keyed"));
        for (int n = 1; n <= 2; n++) {
            assertEquals(Position.NONE, await(bus.publish(envelope("node-a", "plain-keyed", "p", n), new PublishKey("same", "id-" + n))));
            assertNotNull(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "delivered: no history, no keys");
        }
    }

    @Test
    void readsOfARoomWithoutHistoryWriteNothing() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        History read = await(bus.history("unread", HistoryQuery.page(0, 10)));
        assertEquals(0, read.top());
        assertNotNull(read.epoch());
        assertNotEquals(read.epoch(), await(bus.history("unread", HistoryQuery.page(0, 10))).epoch(),
                "no epoch was stored: each read of an empty room names another");
        History joined = await(bus.history("unread", HistoryQuery.position()));
        assertEquals(new Position(1, joined.epoch()), await(bus.publish(envelope("node-a", "unread", "p", 1))),
                "a join stores its epoch: publishes continue it");
    }

    /** Publishes {@code count} messages to {@code room} one after the other; returns the epoch. */
    private static String publish(MessageBus bus, String room, int count) throws Exception {
        String epoch = null;
        for (int n = 1; n <= count; n++) {
            Position position = await(bus.publish(envelope("node-a", room, "p", n)));
            assertEquals(n, position.offset());
            epoch = position.epoch();
        }
        return epoch;
    }

    private static List<Long> offsetsOf(History history) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < history.frames().size(); i++) {
            long offset = history.firstOffset() + i;
            assertTrue(history.frames().get(i).endsWith(",\"offset\":" + offset + ",\"epoch\":\"" + history.epoch() + "\"}"),
                    history.frames().get(i));
            offsets.add(offset);
        }
        return offsets;
    }

    /** {@code publishers} threads, spread over {@code nodes}, each publishing {@code perPublisher} messages. */
    private static List<Position> publishConcurrently(List<MessageBus> nodes, int publishers, int perPublisher, String room)
            throws Exception {
        List<Position> positions = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                String publisher = "pub-" + p;
                MessageBus node = nodes.get(p % nodes.size());
                done.add(CompletableFuture.runAsync(() -> {
                    List<CompletableFuture<Position>> sent = new ArrayList<>();
                    for (int n = 0; n < perPublisher; n++) {
                        sent.add(node.publish(envelope("node-" + publisher, room, publisher, n)).toCompletableFuture()
                                .thenApply(position -> {
                                    positions.add(position);
                                    return position;
                                }));
                    }
                    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            threads.shutdownNow();
        }
        return positions;
    }
}
