package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.Health;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.websocket.CloseReason;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Admin actions in {@code roomcast.auth.mode=proxy} on two nodes over one Redis: an action the
 * console sends to one node reaches the other (no proxy stands between the nodes to add identity
 * headers: the cluster key does it), {@code scripts/drain} drains a node with the key the node
 * wrote, and a forged key is refused even next to an admin's identity. The test client plays the
 * authenticating proxy at 127.0.0.1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminProxyModeIT {

    private static final Map<String, String> ADMIN = Map.of("X-Forwarded-User", "root",
            "X-Forwarded-Groups", "roomcast-admin", "X-Forwarded-For", "192.0.2.10");
    private static final Map<String, String> MEMBER = Map.of("X-Forwarded-User", "ann",
            "X-Forwarded-For", "192.0.2.11");

    private static RedisServer redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        CompletableFuture<LibertyNode> a = startNode("a");
        CompletableFuture<LibertyNode> b = startNode("b");
        nodeA = a.join();
        nodeB = b.join();
    }

    /** Advertises its URL, so that the other node can forward to it; drains in 2 s. */
    private static CompletableFuture<LibertyNode> startNode(String name) {
        int port = FreePorts.next();
        Map<String, String> env = Map.of("ROOMCAST_NODE_ID", "node-" + name, "ROOMCAST_REDIS_URL", redis.url(),
                "ROOMCAST_ADVERTISED_URL", "http://localhost:" + port, "ROOMCAST_AUTH_MODE", "proxy",
                "ROOMCAST_AUTH_TRUSTED_PROXIES", "127.0.0.1", "ROOMCAST_SHUTDOWN_DRAIN_SECONDS", "2");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return LibertyNode.start("adminproxy-" + name, port, env);
            } catch (Exception e) {
                throw new IllegalStateException("could not start node " + name, e);
            }
        });
    }

    @AfterAll
    static void stopCluster() throws Exception {
        Processes.closeAll(nodeA, nodeB, redis);
    }

    @Test
    @Order(1)
    void aDisconnectSentToOneNodeClosesTheSessionOnTheOther() throws Exception {
        try (WsClient member = WsClient.connect(nodeA.ws(), MEMBER)) {
            HttpResponse<String> answer = Http.postJson(nodeB.http("/api/admin/sessions/" + member.sessionId()
                    + "/disconnect"), "", ADMIN);
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"node\":\"node-a\""), answer.body());
            CloseReason closed = member.awaitClose();
            assertEquals(1008, closed.getCloseCode().getCode());
        }
    }

    @Test
    @Order(2)
    void aForgedClusterKeyIsRefusedEvenWithAnAdminsIdentity() throws Exception {
        Map<String, String> forged = new HashMap<>(ADMIN);
        forged.put("X-Roomcast-Cluster-Key", "forged-forged-forged-forged");
        HttpResponse<String> answer = Http.postJson(nodeA.http("/api/admin/drain"), "", forged);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("\"code\":\"unauthorized\""), answer.body());
        assertEquals("UP", Health.check(nodeA.http("/health/ready")).getString("status"), "not drained");
    }

    @Test
    @Order(3)
    void scriptsDrainDrainsTheNodeWithTheKeyItWrote() throws Exception {
        Path keyFile = nodeB.serverDir().resolve("roomcast-cluster-secret");
        Poll.until(() -> Files.isReadable(keyFile), "node b wrote its cluster key", WsClient.WAIT);
        try (WsClient member = WsClient.connect(nodeB.ws(), MEMBER)) {
            ProcessBuilder drain = new ProcessBuilder("bash", "scripts/drain", nodeB.http("/").toString())
                    .redirectErrorStream(true);
            drain.environment().put("ROOMCAST_CLUSTER_SECRET_FILE", keyFile.toString());
            drain.environment().remove("ROOMCAST_CLUSTER_SECRET");
            Process process = drain.start();
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "scripts/drain returned");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("\"done\":true"), output);
            assertEquals(1001, member.awaitClose().getCloseCode().getCode());
        }
        assertEquals("DOWN", Health.check(nodeB.http("/health/ready")).getString("status"), "drained");
    }
}
