package it.io.roomcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import it.io.roomcast.support.Browser;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisServer;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's hidden live messages, client and server together: the real roomcast.js (through the
 * demo page, in headless Chromium) stays connected to a room on a real Liberty node over a real
 * Redis whose history lasts 2 s. The room goes quiet until its history is gone, so its next
 * publish starts a new epoch with offsets from 1 again: the page must show every message of the
 * new epoch, and the client must tell the application (event {@code reset}).
 */
class EpochResetIT {

    private static final String ROOM = "quiet-room";
    private static RedisServer redis;
    private static LibertyNode node;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = LibertyNode.start("epoch-reset", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-e",
                "ROOMCAST_REDIS_URL", redis.url(), "ROOMCAST_REDIS_PROBE_INTERVAL_MS", "250",
                "ROOMCAST_HISTORY_TTL_SECONDS", "2",
                "ROOMCAST_HTTP_RATE_READS_PER_SECOND", "0")); // the test polls the history endpoint
    }

    @AfterAll
    static void stop() throws Exception {
        Processes.closeAll(node, redis);
    }

    @Test
    void aConnectedPageShowsEveryMessageOfTheNewEpochAfterTheRoomWasQuietPastTheTtl() throws Exception {
        try (Browser page = Browser.open()) {
            page.get(URI.create(node.http("/") + "?name=Ann&room=" + ROOM));
            page.awaitState("open", Browser.SLOW_WAIT);
            page.awaitText("#rooms", "In room " + ROOM);
            page.script("window.resets = []; window.roomcast.on('reset:" + ROOM + "', (e) => window.resets.push(e));");
            for (int n = 1; n <= 5; n++) {
                post("before " + n);
            }
            page.awaitText("#messages", "before 5");
            String epoch = (String) page.script("return window.roomcast.position(arguments[0]).epoch", ROOM);

            // Quiet until the history is gone: reads write nothing, so the read then names another epoch.
            Poll.until(() -> !epoch.equals(historyEpoch()), "the room's history expired", Duration.ofSeconds(30));
            for (int n = 1; n <= 5; n++) {
                post("after " + n);
            }
            page.awaitText("#messages", "after 5");

            List<String> expected = new ArrayList<>();
            IntStream.rangeClosed(1, 5).forEach(n -> expected.add("before " + n));
            IntStream.rangeClosed(1, 5).forEach(n -> expected.add("after " + n));
            assertEquals(expected, texts(page), "every message once, in order");
            page.awaitText("#messages li.reset", "no longer kept");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> resets = (List<Map<String, Object>>) page.script("return window.resets");
            assertEquals(1, resets.size(), "one reset: " + resets);
            assertEquals(epoch, resets.get(0).get("previousEpoch"));
            assertEquals(5L, resets.get(0).get("previousOffset"));
            assertNotEquals(epoch, resets.get(0).get("epoch"));
            assertEquals(Map.of("offset", 5L, "epoch", resets.get(0).get("epoch")),
                    page.script("return window.roomcast.position(arguments[0])", ROOM), "a rejoin would ask for the new epoch");
            page.screenshot("chat-reset-after-quiet-room");
        }
    }

    private static String historyEpoch() throws Exception {
        var read = Http.get(node.http("/api/rooms/" + ROOM + "/history?limit=1"));
        assertEquals(200, read.statusCode(), read.body());
        return Json.createReader(new StringReader(read.body())).readObject().getString("epoch");
    }

    private static void post(String text) throws Exception {
        var answer = Http.postJson(node.http("/api/rooms/" + ROOM + "/messages"), "{\"name\":\"Server\",\"text\":\"" + text + "\"}");
        assertEquals(202, answer.statusCode(), answer.body());
    }

    /** The texts of the chat's message list, in the order shown. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(Browser page) {
        return (List<String>) page.script("return [...document.querySelectorAll('#messages li .text')].map((e) => e.textContent)");
    }
}
