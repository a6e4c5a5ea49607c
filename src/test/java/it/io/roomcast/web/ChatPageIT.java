package it.io.roomcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Browser;
import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.TcpProxy;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The demo page and the client library in a real browser: chatting, history for a newcomer,
 * recovery of what a cut-off page missed (and the gap mark when it cannot), and the reconnect,
 * rejoin, move to another node and dead-connection detection when a node drains, restarts or
 * hangs. Two nodes: the Arquillian server (deployment {@code chat}) and a separate Liberty
 * server that the tests drain, restart and freeze (a test that drains it also restarts it).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ChatPageIT {

    private static final String STEADY_NODE = "steady-node";
    private static final int HISTORY = 10;
    private static LibertyNode restarted;

    @Deployment(testable = false)
    static WebArchive deployment() {
        // A short history, so that a test can outrun it and see the gap marked.
        return Deployments.roomcast("chat", Map.of("roomcast.node-id", STEADY_NODE, "roomcast.history.size", String.valueOf(HISTORY)));
    }

    @ArquillianResource
    URL base;

    @BeforeAll
    static void startNode() throws Exception {
        restarted = LibertyNode.start("chat-restarted", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "restarted-node"));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (restarted != null) {
            restarted.stop();
        }
    }

    @Test
    void twoBrowsersChatThroughTheDemoPage() throws Exception {
        try (Browser ann = Browser.open(); Browser bob = Browser.open()) {
            joinDemo(ann, Urls.app(base, "/"), "Ann", "lobby", null);
            joinDemo(bob, Urls.app(base, "/"), "Bob", "lobby", null);
            assertEquals(STEADY_NODE, ann.text("node"));

            say(ann, "hello from Ann");
            bob.awaitText("#messages", "hello from Ann");
            bob.awaitText("#messages", "Ann");
            say(bob, "hi Ann, Bob here");
            ann.awaitText("#messages", "hi Ann, Bob here");
            // Who is here: Bob came after Ann (an event), Ann was there before Bob (the snapshot).
            ann.awaitText("#who-count", "2 here");
            bob.awaitText("#who-count", "2 here");
            bob.awaitText("#who", "(you)");

            ann.screenshot("chat-ann");
            bob.screenshot("chat-bob");
        }
    }

    @Test
    void aNewcomerSeesWhatWasSaidBeforeItJoinedInOrder() throws Exception {
        try (Browser ann = Browser.open(); Browser carl = Browser.open()) {
            joinDemo(ann, Urls.app(base, "/"), "Ann", "history-room", null);
            for (String text : List.of("first", "second", "third")) {
                say(ann, text);
                ann.awaitText("#messages", text);
            }
            joinDemo(carl, Urls.app(base, "/"), "Carl", "history-room", null);
            carl.awaitText("#messages", "third");
            assertEquals(List.of("first", "second", "third"), texts(carl), "the earlier messages, oldest first");
            carl.screenshot("chat-history-for-newcomer");
        }
    }

    @Test
    void aPageCutOffRecoversWhatItMissedAndMarksWhatItCouldNot() throws Exception {
        try (TcpProxy path = TcpProxy.start(Urls.websocket(base)); Browser page = Browser.open()) {
            joinDemo(page, Urls.app(base, "/"), "Away", "recovery-room", path.uri().toString());
            path.refuse();
            page.awaitState("reconnecting", WsClient.WAIT);
            post("recovery-room", "missed while away");
            path.restore();
            page.awaitText("#messages", "missed while away", Browser.SLOW_WAIT);
            assertEquals(0L, page.script("return document.querySelectorAll('#messages li.gap').length"), "recovered: no gap");

            path.refuse();
            page.awaitState("reconnecting", WsClient.WAIT);
            for (int i = 0; i <= HISTORY; i++) {
                post("recovery-room", "outrun " + i);
            }
            path.restore();
            page.awaitText("#messages li.gap", "missed", Browser.SLOW_WAIT);
            post("recovery-room", "after the gap");
            page.awaitText("#messages", "after the gap");
            page.screenshot("chat-gap-marked");
        }
    }

    @Test
    void drainMovesPagesToTheOtherNodeAndARestartBringsThemBack() throws Exception {
        try (Browser single = Browser.open(); Browser both = Browser.open(); Browser admin = Browser.open()) {
            joinDemo(single, restarted.http("/"), "Solo", "restart-room", null);
            joinDemo(both, restarted.http("/"), "Duo", "restart-room", restarted.ws() + "," + Urls.websocket(base));
            String sessionBefore = single.text("session");

            // Without a shared bus a node's console knows only itself: drain it from its own.
            admin.get(restarted.http("/admin/"));
            admin.clickWhenPresent("tr[data-node='restarted-node'] button.drain");
            admin.awaitText("tr[data-node='restarted-node'] button.drain", "Confirm drain");
            admin.clickWhenPresent("tr[data-node='restarted-node'] button.drain");
            admin.awaitText("#action-result", "accepted (202)");
            single.awaitText("#state", "(closed 1001)", Browser.SLOW_WAIT);
            // The page that knows two nodes moves to the other one and rejoins its room there.
            both.awaitText("#node", STEADY_NODE, Browser.SLOW_WAIT);
            both.awaitState("open", Browser.SLOW_WAIT);
            say(both, "still here on the other node");
            both.awaitText("#messages", "still here on the other node");
            admin.awaitText("tr[data-node='restarted-node'] td.state", "draining");
            admin.screenshot("admin-node-draining");
            both.screenshot("chat-moved-to-other-node-by-drain");

            restarted.stop();
            restarted.launch();
            single.awaitState("open", Browser.SLOW_WAIT);
            assertNotEquals(sessionBefore, single.text("session"), "a new connection after the restart");
            say(single, "back after restart");
            single.awaitText("#messages", "back after restart");
            single.screenshot("chat-reconnected-after-restart");
        }
    }

    @Test
    void heartbeatNoticesAFrozenNodeAndTheClientReconnects() throws Exception {
        try (Browser page = Browser.open()) {
            page.get(restarted.http("/"));
            page.awaitState("open", Browser.SLOW_WAIT);
            // A second client in the page with a short heartbeat, recording its state changes.
            page.script("""
                    window.states = [];
                    import('./roomcast.js').then(({ RoomcastClient }) => {
                      const client = new RoomcastClient({ heartbeat: { intervalMs: 500, timeoutMs: 1000 }, connectTimeoutMs: 2000 });
                      client.on('state', (s) => window.states.push(s.state + ':' + (s.code ?? '')));
                      client.connect();
                    });""");
            page.awaitScript("return window.states.includes('open:')", Browser.SLOW_WAIT);
            restarted.freeze();
            try {
                page.awaitScript("return window.states.includes('reconnecting:4001')", Browser.SLOW_WAIT);
            } finally {
                restarted.thaw();
            }
            page.awaitScript("return window.states.at(-1) === 'open:'", Browser.SLOW_WAIT);
        }
    }

    @Test
    void reconnectDelaysAreFullJitterUnderACap() throws Exception {
        try (Browser page = Browser.open()) {
            page.get(Urls.app(base, "/"));
            page.awaitState("open", Browser.SLOW_WAIT);
            // 500 draws for attempt 3 (ceiling 500 ms * 2^3) and attempt 20 (capped at 30 s).
            page.script("""
                    import('./roomcast.js').then(({ backoffDelay }) => {
                      const draw = (attempt) => Array.from({ length: 500 }, () => backoffDelay(attempt, 500, 30000));
                      const third = draw(3), late = draw(20);
                      window.jitter = [Math.min(...third), Math.max(...third), Math.min(...late), Math.max(...late)];
                    });""");
            page.awaitScript("return Array.isArray(window.jitter)", WsClient.WAIT);
            @SuppressWarnings("unchecked")
            List<Number> spread = (List<Number>) page.script("return window.jitter");
            assertTrue(spread.get(0).longValue() < 400, "full jitter reaches near 0: " + spread);
            assertTrue(spread.get(1).longValue() >= 3600 && spread.get(1).longValue() < 4000, "ceiling 4 s: " + spread);
            assertTrue(spread.get(2).longValue() < 3000, "full jitter even at the cap: " + spread);
            assertTrue(spread.get(3).longValue() >= 27000 && spread.get(3).longValue() < 30000, "capped at 30 s: " + spread);
        }
    }

    @Test
    void clientLibraryReactsToRepliesAndCloseCodesAsDocumented() throws Exception {
        assertClientChecksPass("/web/client-library-checks.mjs", "libraryChecks");
    }

    @Test
    void clientLibraryRefreshesItsTokenInBandAndOnReconnect() throws Exception {
        assertClientChecksPass("/web/client-refresh-checks.mjs", "refreshChecks");
    }

    /**
     * Runs the roomcast.js checks in {@code resource} as a module in a real browser (they import
     * ./roomcast.js from this node's page) and expects {@code window[result]} to end with no failures.
     */
    private void assertClientChecksPass(String resource, String result) throws Exception {
        String checks;
        try (var source = ChatPageIT.class.getResourceAsStream(resource)) {
            checks = new String(source.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Browser page = Browser.open()) {
            page.get(Urls.app(base, "/"));
            page.script("const s = document.createElement('script'); s.type = 'module';"
                    + " s.textContent = arguments[0]; document.head.append(s);", checks);
            page.awaitScript("return window." + result + " !== undefined && window." + result + ".done", WsClient.WAIT);
            assertEquals(List.of(), page.script("return window." + result + ".failures"));
        }
    }

    /** Opens the demo page at {@code page}, joined to {@code room} as {@code name}. */
    private static void joinDemo(Browser browser, URI page, String name, String room, String urls) {
        String query = "?name=" + name + "&room=" + room
                + (urls == null ? "" : "&url=" + URLEncoder.encode(urls, StandardCharsets.UTF_8));
        browser.get(URI.create(page + query));
        browser.awaitState("open", Browser.SLOW_WAIT);
        browser.awaitText("#rooms", "In room " + room);
    }

    /** The texts of the chat's message list, in the order shown. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(Browser browser) {
        return (List<String>) browser.script(
                "return [...document.querySelectorAll('#messages li .text')].map((e) => e.textContent)");
    }

    private void post(String room, String text) throws Exception {
        var answer = Http.postJson(Urls.app(base, "/api/rooms/" + room + "/messages"), "{\"name\":\"Server\",\"text\":\"" + text + "\"}");
        assertEquals(202, answer.statusCode(), answer.body());
    }

    private static void say(Browser browser, String text) {
        browser.type("text", text);
        browser.click("send");
    }
}
