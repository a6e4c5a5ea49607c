package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real Liberty nodes on a real Redis Cluster (3 primaries, one replica each), configured
 * as an operator does ({@code ROOMCAST_REDIS_URL=redis-cluster://...}): rooms as shard channels
 * of their own primary only, cross-node order, routing only to nodes with members, the cluster
 * view, and a primary killed under connected clients.
 */
class RedisClusterIT {

    private static final int PRIMARIES = 3;
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);
    private static RedisCluster redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisCluster.start(PRIMARIES, Duration.ofMillis(1000));
        List<LibertyNode> nodes = LibertyNode.startTwoOnRedis("rcluster", redis.url());
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        Poll.until(() -> busUp(nodeA) && busUp(nodeB), "both nodes verified every shard they use", WsClient.WAIT);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        Processes.closeAll(nodeA, nodeB, redis);
    }

    @Test
    void eachShardCarriesOnlyTheHostedRoomsOfItsSlots() throws Exception {
        Map<RedisServer, List<String>> rooms = roomsOnEveryPrimary("spread", 2);
        List<String> all = rooms.values().stream().flatMap(List::stream).toList();
        String onBoth = all.get(0);
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            for (String room : all) {
                a.join(room);
            }
            b.join(onBoth);
            for (Map.Entry<RedisServer, List<String>> shard : rooms.entrySet()) {
                String pattern = "roomcast:{spread-*";
                assertEquals(shard.getValue().stream().map(RedisClusterIT::channel).sorted().toList(),
                        redis.shardChannels(shard.getKey(), pattern).stream().sorted().toList(),
                        "primary " + shard.getKey().port() + " lists exactly the hosted rooms of its slots");
            }
            assertEquals("2", numsub(onBoth), "a room with members on both nodes has both as subscribers");
            assertEquals("1", numsub(all.get(1)), "a room hosted on one node has only that one");
            // Published on B, which hosts only one of them: every shard carries it to A.
            for (String room : all) {
                assertEquals(202, Http.postJson(nodeB.http("/api/rooms/" + room + "/messages"), "\"" + room + "\"").statusCode());
            }
            List<String> received = a.messages(all.size()).stream().map(m -> m.getString("data")).sorted().toList();
            assertEquals(all.stream().sorted().toList(), received);
        }
        Poll.until(() -> rooms.keySet().stream().allMatch(p -> shardChannelsQuietly(p, "roomcast:{spread-*").isEmpty()),
                "rooms without members leave every shard", WsClient.WAIT);
    }

    @Test
    void membersOnBothNodesReceiveEveryMessageOnceAndInPublishOrder() throws Exception {
        int perPublisher = 30;
        List<String> rooms = roomsOnEveryPrimary("order", 1).values().stream().map(l -> l.get(0)).toList();
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            for (String room : rooms) {
                a.join(room);
                b.join(room);
            }
            for (int n = 0; n < perPublisher; n++) {
                for (String room : rooms) {
                    a.send(publish(room, n));
                    b.send(publish(room, n));
                }
            }
            List<Integer> inOrder = IntStream.range(0, perPublisher).boxed().toList();
            for (WsClient member : List.of(a, b)) {
                Map<String, List<Integer>> byPublisherAndRoom = member.messages(2 * perPublisher * rooms.size()).stream()
                        .collect(Collectors.groupingBy(m -> m.getString("from") + " " + m.getString("room"),
                                LinkedHashMap::new, Collectors.mapping(m -> m.getInt("data"), Collectors.toList())));
                assertEquals(2 * rooms.size(), byPublisherAndRoom.size(), byPublisherAndRoom.keySet().toString());
                byPublisherAndRoom.forEach((key, seen) -> assertEquals(inOrder, seen, "order of " + key));
            }
        }
    }

    @Test
    void nodeWithoutMembersReceivesNoneOfTheRoomsBusTraffic() throws Exception {
        URI metricsB = nodeB.http("/metrics?scope=application");
        String quiet = "only-on-a";
        // A room B hosts on the same shard: B's one connection to that shard would carry both.
        RedisServer shard = redis.ownerOf(channel(quiet));
        String marker = IntStream.range(0, 10_000).mapToObj(i -> "on-b-" + i)
                .filter(room -> shardOf(room).equals(shard)).findFirst().orElseThrow();
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            a.join(quiet);
            b.join(marker);
            double receivedByB = Http.metric(metricsB, "roomcast_bus_messages_received_total");
            for (int n = 0; n < 20; n++) {
                a.send(publish(quiet, n));
            }
            assertEquals(19, a.messages(20).get(19).getInt("data"));
            // Published after A received all 20, on the same shard: Redis hands it to B's
            // connection after anything of the 20 it would have sent there.
            assertEquals(202, Http.postJson(nodeA.http("/api/rooms/" + marker + "/messages"), "-1").statusCode());
            assertEquals(-1, b.messages(1).get(0).getInt("data"));
            assertEquals(receivedByB + 1, Http.metric(metricsB, "roomcast_bus_messages_received_total"));
        }
    }

    private static RedisServer shardOf(String room) {
        try {
            return redis.ownerOf(channel(room));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void clusterViewListsBothNodesOnTheRedisClusterBus() throws Exception {
        Poll.until(() -> nodesIn(nodeA).containsAll(List.of("node-a", "node-b")), "both nodes listed", WsClient.WAIT);
        for (JsonObject node : Json.createReader(new StringReader(Http.get(nodeB.http("/api/cluster")).body()))
                .readArray().getValuesAs(JsonObject.class)) {
            assertEquals("redis-cluster", node.getJsonObject("bus").getString("kind"), node.toString());
        }
    }

    @Test
    void killedPrimaryFailsOverAndDeliveryResumesWithoutClientActionWhileOtherShardsNeverStop() throws Exception {
        Map<RedisServer, List<String>> rooms = roomsOnEveryPrimary("failover", 1);
        List<RedisServer> primaries = new ArrayList<>(rooms.keySet());
        RedisServer victim = primaries.get(0);
        String lost = rooms.get(victim).get(0);
        List<String> steady = primaries.subList(1, primaries.size()).stream().map(p -> rooms.get(p).get(0)).toList();
        try (WsClient a = WsClient.connect(nodeA.ws()); WsClient b = WsClient.connect(nodeB.ws())) {
            for (String room : rooms.values().stream().flatMap(List::stream).toList()) {
                a.join(room);
                b.join(room);
            }
            Poll.until(() -> busUp(nodeA) && busUp(nodeB), "every shard in use verified", WsClient.WAIT);
            long killedAt = System.nanoTime();
            victim.kill();
            Poll.until(() -> !busUp(nodeA) && !busUp(nodeB), "both nodes report the lost shard", WsClient.WAIT);
            int refused = 0;
            int steadyDelivered = 0;
            do {
                assertTrue(System.nanoTime() - killedAt < FAILOVER_WAIT.toNanos(), "failover within " + FAILOVER_WAIT);
                for (String room : steady) {
                    HttpResponse<String> sent = Http.postJson(nodeA.http("/api/rooms/" + room + "/messages"), "\"steady\"");
                    assertEquals(202, sent.statusCode(), "the other shards never stop: " + sent.body());
                    b.next(f -> isMessage(f, room, "steady"));
                    steadyDelivered++;
                }
                // Until both nodes follow the promoted replica, the lost shard's rooms answer
                // unavailable (once A follows it, A's publishes go out, B's members may miss them).
                HttpResponse<String> sent = Http.postJson(nodeA.http("/api/rooms/" + lost + "/messages"), "\"during\"");
                if (sent.statusCode() != 202) {
                    assertEquals(503, sent.statusCode(), "refused, never silently lost: " + sent.body());
                    assertTrue(sent.body().contains("unavailable"), sent.body());
                    refused++;
                }
                Thread.sleep(100); // paces the publishes while the cluster promotes the replica
            } while (!(busUp(nodeA) && busUp(nodeB)));
            assertTrue(refused > 0, "publishes to the lost shard were refused for a while");
            assertEquals(202, Http.postJson(nodeA.http("/api/rooms/" + lost + "/messages"), "\"after\"").statusCode());
            for (WsClient member : List.of(a, b)) {
                member.next(f -> isMessage(f, lost, "after"));
            }
            System.out.printf("Redis Cluster failover under 2 Liberty nodes: room %s delivered on both again %d ms after"
                    + " its primary was killed; %d publishes refused meanwhile, %d delivered on the other shards%n",
                    lost, (System.nanoTime() - killedAt) / 1_000_000, refused, steadyDelivered);
            assertTrue(a.isOpen() && b.isOpen(), "clients stayed connected");
        } finally {
            victim.launch(); // rejoins as a replica of the promoted one
            redis.awaitHealthy(PRIMARIES);
        }
    }

    private static boolean isMessage(JsonObject frame, String room, String data) {
        return "message".equals(frame.getString("type")) && room.equals(frame.getString("room"))
                && data.equals(frame.getString("data"));
    }

    private static String publish(String room, int n) {
        return "{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":" + n + "}";
    }

    private static String channel(String room) {
        return "roomcast:{" + room + "}";
    }

    private static String numsub(String room) throws Exception {
        String[] reply = RedisCluster.cli(redis.ownerOf(channel(room)), "PUBSUB", "SHARDNUMSUB", channel(room)).split("\n");
        return reply[1].trim();
    }

    private static List<String> shardChannelsQuietly(RedisServer primary, String pattern) {
        try {
            return redis.shardChannels(primary, pattern);
        } catch (Exception e) {
            return List.of(e.toString());
        }
    }

    /** Room names (with {@code prefix}) such that every primary owns the slots of {@code perPrimary} of them. */
    private static Map<RedisServer, List<String>> roomsOnEveryPrimary(String prefix, int perPrimary) throws Exception {
        Map<RedisServer, List<String>> rooms = new LinkedHashMap<>();
        int wanted = perPrimary * redis.primaries().size();
        for (int i = 0; rooms.values().stream().mapToInt(List::size).sum() < wanted; i++) {
            String room = prefix + "-" + i;
            List<String> owned = rooms.computeIfAbsent(redis.ownerOf(channel(room)), p -> new ArrayList<>());
            if (owned.size() < perPrimary) {
                owned.add(room);
            }
        }
        return rooms;
    }

    private static boolean busUp(LibertyNode node) throws Exception {
        return Json.createReader(new StringReader(Http.get(node.http("/api/stats")).body())).readObject()
                .getJsonObject("bus").getBoolean("up");
    }

    private static List<String> nodesIn(LibertyNode node) throws Exception {
        return Json.createReader(new StringReader(Http.get(node.http("/api/cluster")).body())).readArray()
                .getValuesAs(JsonObject.class).stream().map(n -> n.getString("node")).toList();
    }
}
