package it.io.roomcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import it.io.roomcast.support.Browser;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo page at {@code /} in a real browser, on real Liberty nodes: chatting, and the
 * client library's reconnect, rejoin and move to another node when a node goes away.
 */
class ChatPageIT {

    private static LibertyNode nodeA;
    private static LibertyNode nodeB;

    @BeforeAll
    static void startNodes() throws Exception {
        nodeA = LibertyNode.start("chat-a", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-a"));
        nodeB = LibertyNode.start("chat-b", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-b"));
    }

    @AfterAll
    static void stopNodes() throws Exception {
        for (LibertyNode node : new LibertyNode[] {nodeA, nodeB}) {
            if (node != null) {
                node.stop();
            }
        }
    }

    @Test
    void twoBrowsersChatThroughTheDemoPage() throws Exception {
        try (Browser ann = Browser.open(); Browser bob = Browser.open()) {
            joinDemo(ann, nodeA, "Ann", "lobby", null);
            joinDemo(bob, nodeA, "Bob", "lobby", null);
            assertEquals("node-a", ann.text("node"));

            say(ann, "hello from Ann");
            bob.awaitText("#messages", "hello from Ann");
            bob.awaitText("#messages", "Ann");
            say(bob, "hi Ann, Bob here");
            ann.awaitText("#messages", "hi Ann, Bob here");

            ann.screenshot("chat-ann");
            bob.screenshot("chat-bob");
        }
    }

    @Test
    void nodeRestartMakesPagesReconnectAndRejoinByThemselves() throws Exception {
        try (Browser single = Browser.open(); Browser both = Browser.open()) {
            joinDemo(single, nodeA, "Solo", "restart-room", null);
            joinDemo(both, nodeA, "Duo", "restart-room", nodeA.ws() + "," + nodeB.ws());
            String sessionBefore = single.text("session");

            nodeA.stop();
            single.awaitState("reconnecting", Browser.SLOW_WAIT);
            // The page given two nodes moves to the other one and rejoins its room there.
            both.awaitText("#node", "node-b", Browser.SLOW_WAIT);
            both.awaitState("open", Browser.SLOW_WAIT);
            say(both, "still here on b");
            both.awaitText("#messages", "still here on b");
            both.screenshot("failover-to-node-b");

            nodeA.launch();
            single.awaitState("open", Browser.SLOW_WAIT);
            assertNotEquals(sessionBefore, single.text("session"), "a new connection after the restart");
            say(single, "back after restart");
            single.awaitText("#messages", "back after restart");
            single.screenshot("reconnected-after-restart");
        }
    }

    /** Opens the demo page served by {@code node}, already joined to {@code room} as {@code name}. */
    private static void joinDemo(Browser browser, LibertyNode node, String name, String room, String urls) {
        String query = "?name=" + name + "&room=" + room
                + (urls == null ? "" : "&url=" + URLEncoder.encode(urls, StandardCharsets.UTF_8));
        browser.get(URI.create(node.http("/").toString() + query));
        browser.awaitState("open", Browser.SLOW_WAIT);
        browser.awaitText("#rooms", "In room " + room);
    }

    private static void say(Browser browser, String text) {
        browser.type("text", text);
        browser.click("send");
    }
}
