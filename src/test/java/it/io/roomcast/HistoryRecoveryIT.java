package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Health;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.PacedPublisher;
import it.io.roomcast.support.RecoveringClient;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.RoomLog;
import it.io.roomcast.support.TcpProxy;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * History and recovery (PROTOCOL.md section 7) across real failures: two Liberty nodes on a
 * real {@code redis-server}, clients with the contract's recovery logic ({@link RecoveringClient}),
 * and a node drained, a node killed, a network path gone silent, Redis flushed or restarted
 * empty. Every message must arrive exactly once, in offset order, or the client must be told
 * it has a gap.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the two tests that take node A down run last: one restart
class HistoryRecoveryIT {

    private static final int MEMBERS = 100;
    private static final int MESSAGES = 1000;
    private static final int RATE = 200;
    private static final String NODE_A = "history-a";
    private static final String NODE_B = "history-b";
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private static RedisServer redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;
    private static boolean nodeAOutOfService;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        var a = LibertyNode.startAsync("history-a", env(NODE_A));
        var b = LibertyNode.startAsync("history-b", env(NODE_B));
        nodeA = a.join();
        nodeB = b.join();
    }

    /** History long enough for every message of a test, so any loss is the server's, not the size's. */
    private static Map<String, String> env(String nodeId) {
        return Map.of("ROOMCAST_NODE_ID", nodeId, "ROOMCAST_REDIS_URL", redis.url(),
                "ROOMCAST_REDIS_PROBE_INTERVAL_MS", "250", "ROOMCAST_SHUTDOWN_DRAIN_SECONDS", "2",
                "ROOMCAST_RATE_MESSAGES_PER_SECOND", "1000", "ROOMCAST_HISTORY_SIZE", "2000");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable process : new AutoCloseable[] {nodeA, nodeB, redis}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @BeforeEach
    void bringNodeABack() throws Exception {
        if (nodeAOutOfService) {
            // A drain cannot be undone and a killed node stays dead: start it again.
            nodeA.stop();
            nodeA.launch();
            nodeAOutOfService = false;
        }
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @Test
    @Order(5)
    @Timeout(120)
    void drainedNodesMembersReconnectToTheOtherNodeAndGetEveryMessageOnceInOrder() throws Exception {
        losingNodeAWhilePublishingLosesNoMessage(() -> {
            var drain = Http.postJson(nodeA.http("/api/admin/drain"), "");
            assertEquals(202, drain.statusCode(), drain.body());
        });
    }

    @Test
    @Order(6)
    @Timeout(120)
    void killedNodesMembersReconnectToTheOtherNodeAndGetEveryMessageOnceInOrder() throws Exception {
        losingNodeAWhilePublishingLosesNoMessage(nodeA::kill);
    }

    /** A failure the test injects: a node drained or killed, Redis flushed or restarted. */
    interface Fault {
        void happen() throws Exception;
    }

    /**
     * 100 members on node A, a publisher on node B at 200 messages/s for 5 s; node A is lost
     * early on. Every member must end on node B with every message once, in order.
     */
    private void losingNodeAWhilePublishingLosesNoMessage(Fault loss) throws Exception {
        String room = room("loss");
        List<RecoveringClient> members = connectMembers(room);
        WsClient publisher = ws(nodeB);
        publisher.join(room);
        var publishing = PacedPublisher.start(publisher, room, MESSAGES, RATE);
        // Paced by what the publisher sent, not by what members read: a busy test JVM reads late.
        publishing.awaitSent(MESSAGES / 5, WsClient.WAIT);
        nodeAOutOfService = true;
        loss.happen();

        assertAcknowledgedInOrder(publishing.acks().get(60, TimeUnit.SECONDS));
        long replayed = 0;
        for (RecoveringClient member : members) {
            member.await(c -> NODE_B.equals(c.lastNode()) && c.rejoinCount(room) > 0 && c.messageCount(room) >= MESSAGES,
                    RecoveringClient.WAIT, "on node B with every message");
            RoomLog log = member.room(room);
            log.assertEveryOffsetOnceInOrder(1, MESSAGES);
            assertTrue(log.rejoins().stream().allMatch(RoomLog.Rejoin::recovered), "every rejoin recovered: " + log);
            replayed += log.rejoins().stream().mapToLong(r -> r.offset() - r.since()).sum();
        }
        assertTrue(replayed > 0, "node A was lost while messages were still to come: some had to be replayed");
    }

    @Test
    @Order(1)
    @Timeout(90)
    void aConnectionSilentForFiveSecondsComesBackAndRecoversEverything() throws Exception {
        String room = room("silent");
        TcpProxy path = proxyTo(nodeB);
        RecoveringClient client = open(RecoveringClient.connect(List.of(path.uri()), Duration.ofMillis(500), room));
        WsClient publisher = ws(nodeA);
        publisher.join(room);
        int count = 400;
        var publishing = PacedPublisher.start(publisher, room, count, 50);
        client.awaitMessages(room, 50, WsClient.WAIT);

        path.blackHole();
        long outageEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        client.await(c -> !c.connected(), Duration.ofSeconds(5), "noticing the silence");
        // The outage itself is the scenario: the network stays dead for five seconds.
        TimeUnit.NANOSECONDS.sleep(outageEnds - System.nanoTime());
        path.restore();

        assertAcknowledgedInOrder(publishing.acks().get(60, TimeUnit.SECONDS));
        RoomLog log = client.awaitMessages(room, count, RecoveringClient.WAIT);
        log.assertEveryOffsetOnceInOrder(1, count);
        assertEquals("heartbeat timeout", client.closes().get(0).getReasonPhrase(), "no close frame arrived");
        assertTrue(log.rejoins().stream().allMatch(RoomLog.Rejoin::recovered), log.toString());
    }

    @Test
    @Order(2)
    @Timeout(60)
    void publishersOnTwoNodesGiveEveryMemberOnBothNodesTheSameOrder() throws Exception {
        String room = room("order");
        List<WsClient> members = new ArrayList<>();
        for (LibertyNode node : List.of(nodeA, nodeB, nodeA, nodeB)) {
            members.add(ws(node));
            members.get(members.size() - 1).join(room);
        }
        WsClient publisherA = ws(nodeA);
        WsClient publisherB = ws(nodeB);
        publisherA.join(room);
        publisherB.join(room);
        int each = 200;
        var fromA = PacedPublisher.start(publisherA, room, each, RATE);
        var fromB = PacedPublisher.start(publisherB, room, each, RATE);
        fromA.acks().get(30, TimeUnit.SECONDS);
        fromB.acks().get(30, TimeUnit.SECONDS);

        List<String> first = null;
        for (WsClient member : members) {
            List<JsonObject> received = member.messages(2 * each);
            List<Long> offsets = received.stream().map(m -> m.getJsonNumber("offset").longValue()).toList();
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 2 * each).boxed().toList(), offsets,
                    "one total order: offsets 1..400 in order on node " + member.welcome().getString("node"));
            List<String> ids = received.stream().map(m -> m.getString("id")).toList();
            if (first == null) {
                first = ids;
            }
            assertEquals(first, ids, "the same messages in the same order on every member of both nodes");
        }
    }

    @Test
    @Order(3)
    @Timeout(90)
    void flushedRedisStartsANewEpochAndTheClientIsToldOfTheGap() throws Exception {
        lostHistoryStartsANewEpoch(() -> assertTrue(redis.command("FLUSHALL").startsWith("+OK")));
    }

    @Test
    @Order(4)
    @Timeout(90)
    void redisRestartedEmptyStartsANewEpochAndTheClientIsToldOfTheGap() throws Exception {
        lostHistoryStartsANewEpoch(() -> {
            redis.kill();
            redis.launch();
            // Both nodes see Redis again (their readiness says so) before the client comes back.
            Health.await(nodeA.http("/health/ready"), "UP");
            Health.await(nodeB.http("/health/ready"), "UP");
        });
    }

    /**
     * A client that knows offset 5 of an epoch whose history is then lost: its rejoin says
     * {@code recovered:false} with a new epoch, and offsets start again at 1; a later rejoin in
     * the new epoch recovers again.
     */
    private void lostHistoryStartsANewEpoch(Fault historyLoss) throws Exception {
        String room = room("epoch");
        TcpProxy path = proxyTo(nodeB);
        RecoveringClient client = open(RecoveringClient.connect(List.of(path.uri()), Duration.ZERO, room));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), List.of(post(room), post(room), post(room), post(room), post(room)));
        String oldEpoch = client.awaitMessages(room, 5, WsClient.WAIT).epoch();

        historyLoss.happen();
        path.cutAll();
        client.await(c -> c.rejoinCount(room) == 1, RecoveringClient.WAIT, "rejoined after the loss");
        RoomLog.Rejoin gap = client.room(room).rejoins().get(0);
        assertEquals(false, gap.recovered(), "history is gone: the client must hear of the gap");
        assertNotEquals(oldEpoch, gap.epoch(), "a new epoch names the new history");
        assertEquals(0, gap.offset(), "the new history is empty");
        assertEquals(List.of(1L, 2L, 3L), List.of(post(room), post(room), post(room)), "offsets start again at 1");
        client.awaitMessages(room, 8, WsClient.WAIT);

        path.cutAll();
        client.await(c -> c.rejoinCount(room) == 2, RecoveringClient.WAIT, "rejoined in the new epoch");
        RoomLog log = client.room(room);
        assertEquals(new RoomLog.Rejoin(3, gap.epoch(), true, gap.epoch(), 3), log.rejoins().get(1),
                "the epoch the client was given is the one its messages belong to");
        assertEquals(List.of(), log.anomalies());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L), log.offsets());
    }

    /** HTTP publish to {@code room} on node A; returns the offset of the 202 answer. */
    private static long post(String room) throws Exception {
        var answer = Http.postJson(nodeA.http("/api/rooms/" + room + "/messages"), "{\"text\":\"hello\"}");
        assertEquals(202, answer.statusCode(), answer.body());
        return Json.createReader(new StringReader(answer.body())).readObject().getJsonNumber("offset").longValue();
    }

    private static void assertAcknowledgedInOrder(List<JsonObject> acks) {
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(i + 1, acks.get(i).getJsonNumber("offset").longValue(), "ack " + i + " of one publisher");
        }
    }

    private List<RecoveringClient> connectMembers(String room) throws Exception {
        ExecutorService connecting = Executors.newFixedThreadPool(10);
        try {
            List<CompletableFuture<RecoveringClient>> pending = new ArrayList<>();
            for (int i = 0; i < MEMBERS; i++) {
                pending.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return RecoveringClient.connect(List.of(nodeA.ws(), nodeB.ws()), Duration.ZERO, room);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, connecting));
            }
            List<RecoveringClient> members = new ArrayList<>();
            for (var member : pending) {
                members.add(open(member.get(60, TimeUnit.SECONDS)));
            }
            return members;
        } finally {
            connecting.shutdown();
        }
    }

    private TcpProxy proxyTo(LibertyNode node) throws Exception {
        return open(TcpProxy.start(node.ws()));
    }

    private WsClient ws(LibertyNode node) throws Exception {
        return open(WsClient.connect(node.ws()));
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static String room(String purpose) {
        return purpose + "-" + ROOMS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }
}
