package it.io.roomcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.Browser;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin console on a real two-node cluster (two Liberty servers, one Redis): both nodes
 * with live counts, and the drain action moving a node's clients to the other node.
 * (The drain on nodes without a shared bus is covered by {@link ChatPageIT}.)
 */
class ClusterConsoleIT {

    private static RedisServer redis;
    private static LibertyNode nodeA;
    private static LibertyNode nodeB;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start();
        nodeA = startNode("cluster-a");
        nodeB = startNode("cluster-b");
    }

    private static LibertyNode startNode(String id) throws Exception {
        int port = FreePorts.next();
        // A short drain window: a drain may spread its closes over it, and the test waits for them.
        return LibertyNode.start(id, port, Map.of("ROOMCAST_NODE_ID", id, "ROOMCAST_REDIS_URL", redis.url(),
                "ROOMCAST_ADVERTISED_URL", "http://localhost:" + port, "ROOMCAST_SHUTDOWN_DRAIN_SECONDS", "2"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable running : new AutoCloseable[] {nodeA, nodeB, redis}) {
            if (running != null) {
                running.close();
            }
        }
    }

    @Test
    void consoleShowsBothNodesWithCountsThatChangeWhenClientsConnect() throws Exception {
        try (Browser admin = Browser.open()) {
            admin.get(nodeA.http("/admin/"));
            admin.awaitText(row("cluster-a") + "td.connections", "0 / ");
            admin.awaitText(row("cluster-b") + "td.connections", "0 / ");
            try (WsClient onA = WsClient.connect(nodeA.ws()); WsClient onB1 = WsClient.connect(nodeB.ws());
                    WsClient onB2 = WsClient.connect(nodeB.ws())) {
                onA.join("shared");
                onB1.join("shared");
                assertEquals("welcome", onB2.welcome().getString("type"), "b's second client is connected, in no room");
                admin.awaitText(row("cluster-a") + "td.connections", "1 / ");
                admin.awaitText(row("cluster-b") + "td.connections", "2 / ");
                admin.awaitText("tr[data-room='shared'] td.total", "2");
                admin.screenshot("admin-two-node-cluster");
            }
        }
    }

    @Test
    void drainClosesTheNodesClientsWith1001AndTheyReconnectToTheOtherNode() throws Exception {
        try (Browser admin = Browser.open(); Browser chat = Browser.open(); WsClient watcher = WsClient.connect(nodeA.ws())) {
            String urls = URLEncoder.encode(nodeA.ws() + "," + nodeB.ws(), StandardCharsets.UTF_8);
            chat.get(URI.create(nodeA.http("/") + "?name=Dana&room=drain-room&url=" + urls));
            chat.awaitState("open", Browser.SLOW_WAIT);
            chat.awaitText("#node", "cluster-a");

            // The console is served by node b: the drain of node a is forwarded to node a.
            admin.get(nodeB.http("/admin/"));
            admin.clickWhenPresent(row("cluster-a") + "button.drain");
            admin.awaitText(row("cluster-a") + "button.drain", "Confirm drain");
            admin.clickWhenPresent(row("cluster-a") + "button.drain");

            CloseReason reason = watcher.awaitClose();
            assertEquals(1001, reason.getCloseCode().getCode());
            chat.awaitText("#node", "cluster-b", Browser.SLOW_WAIT);
            chat.awaitState("open", Browser.SLOW_WAIT);
            chat.type("text", "moved to b");
            chat.click("send");
            chat.awaitText("#messages", "moved to b");
            admin.awaitText(row("cluster-a") + "td.state", "draining");
            admin.screenshot("admin-after-drain");
            chat.screenshot("chat-after-drain-on-node-b");
        }
    }

    private static String row(String node) {
        return "tr[data-node='" + node + "'] ";
    }
}
