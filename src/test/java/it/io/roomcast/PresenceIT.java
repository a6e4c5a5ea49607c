package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Presence (PROTOCOL.md section 8) on two real Liberty nodes over a real {@code redis-server},
 * behind a trusted proxy (identity headers), so that users and connections differ. The last
 * test kills node B.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresenceIT {

    private static final int TTL_SECONDS = 6;
    private static final Map<String, String> ADMIN = Map.of("X-Forwarded-User", "ops", "X-Forwarded-Groups", "roomcast-admin");

    private static RedisServer redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;
    private static ExecutorService clients;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        CompletableFuture<LibertyNode> a = startNode("presence-a", "node-a");
        CompletableFuture<LibertyNode> b = startNode("presence-b", "node-b");
        nodeA = a.join();
        nodeB = b.join();
        clients = Executors.newFixedThreadPool(16);
    }

    private static CompletableFuture<LibertyNode> startNode(String server, String nodeId) {
        Map<String, String> env = Map.of("ROOMCAST_NODE_ID", nodeId, "ROOMCAST_REDIS_URL", redis.url(),
                "ROOMCAST_REDIS_PROBE_INTERVAL_MS", "250", "ROOMCAST_AUTH_MODE", "proxy",
                "ROOMCAST_ACL", "staff-*=staff/staff", "ROOMCAST_PRESENCE_TTL_SECONDS", Integer.toString(TTL_SECONDS));
        return LibertyNode.startAsync(server, env);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clients != null) {
            clients.shutdownNow();
        }
        for (AutoCloseable process : new AutoCloseable[] {nodeA, nodeB, redis}) {
            if (process != null) { // null when start-up failed
                process.close();
            }
        }
    }

    @Test
    @Order(1)
    void countsAreExactOnBothNodesWhile200MembersJoinAndLeaveConcurrently() throws Exception {
        // 200 connections of 50 users, half on each node, joining all at once.
        List<WsClient> members = connectAll(200, i -> i % 2 == 0 ? nodeA : nodeB, i -> "user-" + (i % 50), "crowd");
        try {
            awaitPresence("crowd", 200, 50);
            // Concurrently: 60 leave, 40 close, 50 new ones (users new-0..new-9) join.
            List<CompletableFuture<?>> churn = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                WsClient member = members.get(i);
                boolean leave = i < 60;
                churn.add(CompletableFuture.runAsync(() -> {
                    try {
                        if (leave) {
                            assertEquals("left", member.request("{\"type\":\"leave\",\"room\":\"crowd\"}").getString("type"));
                        } else {
                            member.close();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, clients));
            }
            CompletableFuture<List<WsClient>> joining = CompletableFuture.supplyAsync(() -> {
                try {
                    return connectAll(50, i -> i % 2 == 0 ? nodeB : nodeA, i -> "new-" + (i % 10), "crowd");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            churn.forEach(CompletableFuture::join);
            members.addAll(joining.join());
            // Left: users 10..49 of the first 200 (every user 0..49 had 4 connections; 0..99 gone
            // means users 0..49 lost 2 each), so all 50 users remain, plus the 10 new ones.
            JsonObject a = awaitPresence("crowd", 150, 60);
            JsonObject b = presence(nodeB, "crowd");
            assertEquals(a.getInt("count"), b.getInt("count"), "both nodes read the same count");
            assertEquals(60, b.getInt("users"));
            assertEquals(100, a.getJsonArray("members").size(), "at most 100 members are listed");
            WsClient onA = members.get(100);
            JsonObject reply = onA.request("{\"type\":\"presence\",\"room\":\"crowd\",\"ref\":\"p1\"}");
            assertEquals("presence", reply.getString("type"), reply.toString());
            assertEquals("p1", reply.getString("ref"));
            assertEquals(150, reply.getInt("count"));
            JsonObject first = reply.getJsonArray("members").getJsonObject(0);
            assertTrue(first.containsKey("user") && first.containsKey("session") && first.containsKey("node"), first.toString());
        } finally {
            closeAll(members);
        }
        awaitPresence("crowd", 0, 0);
    }

    @Test
    @Order(2)
    void watchersOnBothNodesSeeEachJoinAndLeaveOnceAndInOrder() throws Exception {
        try (WsClient watcherA = WsClient.connect(nodeA.ws(), user("watcher-a", ""));
             WsClient watcherB = WsClient.connect(nodeB.ws(), user("watcher-b", ""))) {
            for (WsClient watcher : List.of(watcherA, watcherB)) {
                JsonObject joined = watcher.request("{\"type\":\"join\",\"room\":\"events\",\"presence\":true}");
                assertEquals("joined", joined.getString("type"), joined.toString());
            }
            List<WsClient> members = connectAll(20, i -> i % 2 == 0 ? nodeA : nodeB, i -> "member-" + i, "events");
            Set<String> sessions = members.stream().map(WsClient::sessionId).collect(Collectors.toSet());
            for (WsClient watcher : List.of(watcherA, watcherB)) {
                assertEquals(sessions, memberEvents(watcher, "presence_join", 20), "a join for each member");
            }
            closeAll(members);
            for (WsClient watcher : List.of(watcherA, watcherB)) {
                assertEquals(sessions, memberEvents(watcher, "presence_leave", 20), "then a leave for each");
            }
            try (WsClient marker = WsClient.connect(nodeB.ws(), user("member-marker", ""))) {
                marker.join("events");
                for (WsClient watcher : List.of(watcherA, watcherB)) {
                    JsonObject next = watcher.next(f -> f.getString("type").startsWith("presence_")
                            && f.getString("user").startsWith("member-"));
                    assertEquals(marker.sessionId(), next.getString("session"), "nothing twice before the marker: " + next);
                }
            }
        }
    }

    /**
     * The sessions of the next {@code count} events of {@code type} about members (the other
     * watcher's own join may or may not be seen: that race is what a presence request settles);
     * fails on an event seen twice or one of the other type in between.
     */
    private static Set<String> memberEvents(WsClient watcher, String type, int count) throws Exception {
        Set<String> sessions = new HashSet<>();
        while (sessions.size() < count) {
            JsonObject event = watcher.next(f -> f.getString("type").startsWith("presence_")
                    && f.getString("user").startsWith("member-"));
            assertEquals(type, event.getString("type"), event.toString());
            assertEquals("events", event.getString("room"));
            assertTrue(sessions.add(event.getString("session")), "seen twice: " + event);
        }
        return sessions;
    }

    @Test
    @Order(3)
    void presenceIsForMembersAndTheApiForPublishersOrAdmins() throws Exception {
        try (WsClient ann = WsClient.connect(nodeA.ws(), user("ann", ""))) {
            assertError(ann.request("{\"type\":\"presence\",\"room\":\"private\",\"ref\":\"x\"}"), "not_member");
            assertError(ann.request("{\"type\":\"join\",\"room\":\"private\",\"presence\":\"yes\"}"), "bad_request");
            assertError(ann.request("{\"type\":\"join\",\"room\":\"private\",\"presence\":1}"), "bad_request");
            assertError(ann.request("{\"type\":\"presence\",\"room\":\"no room\"}"), "bad_room");
            assertError(ann.request("{\"type\":\"presence\"}"), "bad_request");
            assertError(ann.request("{\"type\":\"join\",\"room\":\"staff-room\",\"presence\":true}"), "forbidden");
            assertError(ann.request("{\"type\":\"presence\",\"room\":\"staff-room\"}"), "not_member");
            ann.join("private");
            ann.request("{\"type\":\"leave\",\"room\":\"private\"}");
            assertError(ann.request("{\"type\":\"presence\",\"room\":\"private\"}"), "not_member");
        }
        String path = "/api/rooms/private/presence";
        assertEquals(401, Http.get(nodeA.http(path)).statusCode());
        assertEquals(403, Http.get(nodeA.http(path), user("ann", "staff")).statusCode());
        assertEquals(200, Http.get(nodeA.http(path), user("svc", "roomcast-publisher")).statusCode());
        HttpResponse<String> bad = Http.get(nodeB.http("/api/rooms/bad%20room/presence"), ADMIN);
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("bad_room", json(bad.body()).getString("code"));
    }

    @Test
    @Order(4)
    void aRedisRestartLeavesNeitherGapsNorGhosts() throws Exception {
        List<WsClient> members = connectAll(10, i -> i % 2 == 0 ? nodeA : nodeB, i -> "r-" + i, "restart");
        try {
            awaitPresence("restart", 10, 10);
            redis.kill();
            members.remove(0).close(); // leaves while Redis is down
            members.remove(0).close();
            redis.launch();
            awaitPresence("restart", 8, 8);
        } finally {
            closeAll(members);
        }
    }

    @Test
    @Order(5)
    void aKilledNodesMembersLeavePresenceWithinTheTtl() throws Exception {
        try (WsClient watcher = WsClient.connect(nodeA.ws(), user("survivor", ""))) {
            JsonObject joined = watcher.request("{\"type\":\"join\",\"room\":\"doomed\",\"presence\":true}");
            assertEquals("joined", joined.getString("type"), joined.toString());
            List<WsClient> onB = connectAll(10, i -> nodeB, i -> "doomed-" + i, "doomed");
            try {
                awaitPresence("doomed", 11, 11);
                watcher.drainReceived();
                long killed = System.nanoTime();
                nodeB.kill();
                awaitPresence("doomed", 1, 1, Duration.ofSeconds(TTL_SECONDS + 5));
                long tookMillis = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("Presence: a killed node's members were gone after %d ms (TTL %d s)%n", tookMillis, TTL_SECONDS);
                assertTrue(tookMillis <= TTL_SECONDS * 1000L, "gone after " + tookMillis + " ms, TTL is " + TTL_SECONDS + " s");
                Set<String> left = new HashSet<>();
                while (left.size() < 10) {
                    JsonObject event = watcher.next(f -> "presence_leave".equals(f.getString("type")));
                    assertTrue(left.add(event.getString("session")), "one leave per member: " + event);
                }
            } finally {
                closeAll(onB);
            }
        }
    }

    private interface NodeOf {
        LibertyNode of(int i);
    }

    private interface UserOf {
        String of(int i);
    }

    /** Connects and joins {@code count} clients at once; returns them in index order. */
    private static List<WsClient> connectAll(int count, NodeOf node, UserOf user, String room) throws Exception {
        List<CompletableFuture<WsClient>> connecting = IntStream.range(0, count).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
                WsClient client = WsClient.connect(node.of(i).ws(), user(user.of(i), ""));
                client.join(room);
                return client;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, clients)).toList();
        List<WsClient> connected = new ArrayList<>();
        for (CompletableFuture<WsClient> c : connecting) {
            connected.add(c.get(60, TimeUnit.SECONDS));
        }
        return connected;
    }

    private static void closeAll(List<WsClient> members) throws Exception {
        for (WsClient member : members) {
            member.close();
        }
    }

    private static Map<String, String> user(String name, String groups) {
        return Map.of("X-Forwarded-User", name, "X-Forwarded-Groups", groups);
    }

    private static JsonObject presence(LibertyNode node, String room) throws Exception {
        HttpResponse<String> response = Http.get(node.http("/api/rooms/" + room + "/presence"), ADMIN);
        assertEquals(200, response.statusCode(), response.body());
        return json(response.body());
    }

    private static JsonObject awaitPresence(String room, int count, int users) throws Exception {
        return awaitPresence(room, count, users, WsClient.WAIT);
    }

    /** Polls both live nodes' API until the room has exactly {@code count} connections and {@code users} users. */
    private static JsonObject awaitPresence(String room, int count, int users, Duration wait) throws Exception {
        List<LibertyNode> nodes = new ArrayList<>(List.of(nodeA));
        if (count == 0 || !room.equals("doomed")) {
            nodes.add(nodeB);
        }
        JsonObject[] last = new JsonObject[1];
        for (LibertyNode node : nodes) {
            Http.await(() -> {
                HttpResponse<String> response = Http.get(node.http("/api/rooms/" + room + "/presence"), ADMIN);
                last[0] = json(response.body()); // 503 while a node's bus reconnects (after a Redis restart)
                return response.statusCode() == 200 && last[0].getInt("count") == count
                        && last[0].getInt("users") == users ? 1 : 0;
            }, v -> v == 1, wait, v -> "presence of " + room + " on " + node.httpPort() + " stayed " + last[0]);
        }
        return last[0];
    }

    private static void assertError(JsonObject frame, String code) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
