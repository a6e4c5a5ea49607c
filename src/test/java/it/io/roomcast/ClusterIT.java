package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real Liberty nodes and a real {@code redis-server}, as an operator runs a cluster:
 * delivery across nodes, routing only to nodes with members, HTTP publish, the cluster view,
 * and a Redis restart under connected clients.
 */
class ClusterIT {

    private static RedisServer redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        List<LibertyNode> nodes = LibertyNode.startTwoOnRedis("cluster", redis.url());
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        Processes.closeAll(nodeA, nodeB, redis);
    }

    @Test
    void membersOnBothNodesReceiveEveryMessageOnceAndInPublishOrder() throws Exception {
        int perPublisher = 40;
        try (WsClient a1 = WsClient.connect(nodeA.ws()); WsClient a2 = WsClient.connect(nodeA.ws());
             WsClient b1 = WsClient.connect(nodeB.ws()); WsClient b2 = WsClient.connect(nodeB.ws())) {
            List<WsClient> members = List.of(a1, a2, b1, b2);
            for (WsClient member : members) {
                member.join("chat");
            }
            List<WsClient> publishers = List.of(a1, b1, b2);
            for (int n = 0; n < perPublisher; n++) {
                for (WsClient publisher : publishers) {
                    publisher.send("{\"type\":\"publish\",\"room\":\"chat\",\"data\":" + n + "}");
                }
            }
            for (WsClient member : members) {
                Map<String, List<Integer>> byPublisher = member.messages(perPublisher * publishers.size()).stream()
                        .collect(Collectors.groupingBy(m -> m.getString("from"),
                                Collectors.mapping(m -> m.getInt("data"), Collectors.toList())));
                List<Integer> inOrder = java.util.stream.IntStream.range(0, perPublisher).boxed().toList();
                for (WsClient publisher : publishers) {
                    assertEquals(inOrder, byPublisher.get(publisher.sessionId()), "order of " + publisher.sessionId());
                }
            }
            a1.send("{\"type\":\"publish\",\"room\":\"chat\",\"data\":\"end\"}");
            for (WsClient member : members) {
                assertEquals("end", member.next(f -> "message".equals(f.getString("type"))).getString("data"),
                        "nothing was delivered twice before the last message");
            }
        }
    }

    @Test
    void nodeWithoutMembersReceivesNoneOfTheRoomsBusTraffic() throws Exception {
        URI metricsB = nodeB.http("/metrics?scope=application");
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            a.join("only-on-a");
            b.join("on-b");
            assertEquals("*1\n$20\nroomcast:{only-on-a}\n", redis.command("PUBSUB CHANNELS roomcast:{only-on-a}"));
            double receivedByB = Http.metric(metricsB, "roomcast_bus_messages_received_total");
            for (int n = 0; n < 20; n++) {
                a.send("{\"type\":\"publish\",\"room\":\"only-on-a\",\"data\":" + n + "}");
            }
            assertEquals(19, a.messages(20).get(19).getInt("data"));
            // A message B does receive, published after the others: once it has arrived, any of
            // the others that reached B would have been counted too.
            b.send("{\"type\":\"publish\",\"room\":\"on-b\",\"data\":\"marker\"}");
            assertEquals("marker", b.messages(1).get(0).getString("data"));
            assertEquals(receivedByB + 1, Http.metric(metricsB, "roomcast_bus_messages_received_total"));
        }
        awaitTrue(() -> redis.command("PUBSUB CHANNELS roomcast:{*").startsWith("*0"),
                "rooms without members are unsubscribed everywhere");
    }

    @Test
    void httpPublishReachesMembersOnBothNodes() throws Exception {
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            a.join("announcements");
            b.join("announcements");
            HttpResponse<String> accepted = Http.postJson(nodeB.http("/api/rooms/announcements/messages"),
                    "{\"text\":\"maintenance at noon\"}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json(accepted.body()).asJsonObject().getString("id");
            for (WsClient member : List.of(a, b)) {
                JsonObject message = member.messages(1).get(0);
                assertEquals("maintenance at noon", message.getJsonObject("data").getString("text"));
                assertEquals("server", message.getString("from"));
                assertEquals(id, message.getString("id"));
            }
        }
    }

    @Test
    void httpPublishRefusesBadRoomsAndBodiesWithJsonErrors() throws Exception {
        assertJsonError(Http.postJson(nodeA.http("/api/rooms/bad%20room/messages"), "1"), 400, "bad_room");
        assertJsonError(Http.postJson(nodeA.http("/api/rooms/ok/messages"), "{\"unclosed\":"), 400, "bad_json");
        assertJsonError(Http.postJson(nodeA.http("/api/rooms/ok/messages"), "1 2"), 400, "bad_json");
        assertJsonError(Http.postJson(nodeA.http("/api/rooms/ok/messages"), ""), 400, "bad_request");
        assertEquals(202, Http.postJson(nodeA.http("/api/rooms/ok/messages"), "\"a bare string\"").statusCode());
    }

    @Test
    void clusterListsBothLiveNodesWithTheirStats() throws Exception {
        awaitTrue(() -> nodesIn(nodeA).containsAll(List.of("node-a", "node-b")), "both nodes listed");
        JsonArray cluster = json(Http.get(nodeB.http("/api/cluster")).body()).asJsonArray();
        assertEquals("node-b", cluster.getJsonObject(0).getString("node"), "the answering node comes first");
        for (JsonObject node : cluster.getValuesAs(JsonObject.class)) {
            assertEquals("redis", node.getJsonObject("bus").getString("kind"));
            assertTrue(node.containsKey("connections") && node.containsKey("capacity") && node.containsKey("topRooms"), node.toString());
        }
    }

    @Test
    void redisRestartKeepsClientsConnectedAndDeliveryResumesWithoutClientAction() throws Exception {
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            a.join("outage");
            b.join("outage");
            redis.kill();
            awaitTrue(() -> !busUp(nodeA) && !busUp(nodeB), "both nodes report the bus down");
            assertEquals(0, Http.metric(nodeA.http("/metrics?scope=application"), "roomcast_bus_up"));
            JsonObject refused = a.request("{\"type\":\"publish\",\"room\":\"outage\",\"data\":1,\"ref\":\"during\"}");
            assertEquals("unavailable", refused.getString("code"), refused.toString());
            assertEquals("during", refused.getString("ref"));
            assertJsonError(Http.postJson(nodeB.http("/api/rooms/outage/messages"), "1"), 503, "unavailable");
            for (LibertyNode node : List.of(nodeA, nodeB)) {
                assertTrue(Http.metric(node.http("/metrics?scope=application"), "roomcast_bus_publish_failures_total") >= 1,
                        "refused publishes are counted (WebSocket on A, HTTP on B)");
            }

            long restarted = System.nanoTime();
            redis.launch();
            awaitTrue(() -> busUp(nodeA) && busUp(nodeB), "both nodes report the bus up again");
            a.send("{\"type\":\"publish\",\"room\":\"outage\",\"data\":\"after\"}");
            assertEquals("after", b.messages(1).get(0).getString("data"));
            System.out.printf("Redis restart: delivery resumed %d ms after redis-server was started again%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            assertTrue(a.isOpen() && b.isOpen(), "clients stayed connected");
            assertEquals("after", a.messages(1).get(0).getString("data"));
        }
    }

    private static boolean busUp(LibertyNode node) throws Exception {
        return json(Http.get(node.http("/api/stats")).body()).asJsonObject().getJsonObject("bus").getBoolean("up");
    }

    private static List<String> nodesIn(LibertyNode node) throws Exception {
        List<String> ids = new ArrayList<>();
        json(Http.get(node.http("/api/cluster")).body()).asJsonArray()
                .getValuesAs(JsonObject.class).forEach(n -> ids.add(n.getString("node")));
        return ids;
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonObject body = json(response.body()).asJsonObject();
        assertEquals(code, body.getString("code"), response.body());
        assertTrue(!body.getString("message").isBlank());
    }

    private static JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls a node's state over HTTP (there is no event to wait on) for at most {@link WsClient#WAIT}. */
    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
