package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract section 7 through the Redis bus on one real Liberty node: the history lives in Redis
 * (the publish script, the read script, the envelope with offset and epoch), and a flushed Redis
 * gives the room a new epoch instead of a wrong replay. Several nodes: the history-tests ITs.
 */
class RedisHistoryIT {

    private static RedisServer redis;
    private static LibertyNode node;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = LibertyNode.start("redis-history", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-h",
                "ROOMCAST_REDIS_URL", redis.url(), "ROOMCAST_REDIS_PROBE_INTERVAL_MS", "250", "ROOMCAST_HISTORY_SIZE", "10"));
    }

    @AfterAll
    static void stop() throws Exception {
        Processes.closeAll(node, redis);
    }

    @Test
    void recoveryReadsTheHistoryInRedisAndAFlushStartsANewEpoch() throws Exception {
        try (WsClient member = WsClient.connect(node.ws()); WsClient late = WsClient.connect(node.ws())) {
            String epoch = member.join("kept").getString("epoch");
            for (int n = 1; n <= 5; n++) {
                member.send("{\"type\":\"publish\",\"room\":\"kept\",\"data\":" + n + "}");
            }
            List<JsonObject> sent = member.messages(5);
            assertEquals(List.of(1, 2, 3, 4, 5), sent.stream().map(m -> m.getInt("offset")).toList());
            JsonObject recovered = late.request("{\"type\":\"join\",\"room\":\"kept\",\"since\":{\"offset\":2,\"epoch\":\"" + epoch + "\"}}");
            assertTrue(recovered.getBoolean("recovered"), recovered.toString());
            assertEquals(sent.subList(2, 5), late.messages(3));
            HttpResponse<String> page = Http.get(node.http("/api/rooms/kept/history?limit=2"));
            assertEquals(sent.subList(3, 5), json(page.body()).getJsonArray("messages"));

            assertTrue(redis.command("FLUSHALL").startsWith("+OK"));
            try (WsClient after = WsClient.connect(node.ws())) {
                JsonObject gap = after.request("{\"type\":\"join\",\"room\":\"kept\",\"since\":{\"offset\":5,\"epoch\":\"" + epoch + "\"}}");
                assertFalse(gap.getBoolean("recovered"));
                assertNotEquals(epoch, gap.getString("epoch"), "the history was lost: a new epoch");
                assertEquals(0, gap.getInt("offset"));
                member.send("{\"type\":\"publish\",\"room\":\"kept\",\"data\":\"again\"}");
                JsonObject first = after.messages(1).get(0);
                assertEquals(1, first.getInt("offset"), "offsets start again at 1");
                assertEquals(first, member.messages(1).get(0));
            }
        }
    }

    @Test
    void readingTheHistoryOfARoomWithoutOneWritesNothingToRedis() throws Exception {
        HttpResponse<String> read = Http.get(node.http("/api/rooms/never-published/history"));
        assertEquals(200, read.statusCode(), read.body());
        JsonObject page = json(read.body());
        assertEquals(0, page.getInt("offset"));
        assertTrue(page.getJsonArray("messages").isEmpty(), page.toString());
        try (WsClient reader = WsClient.connect(node.ws())) {
            JsonObject answer = reader.request("{\"type\":\"history\",\"room\":\"never-asked\"}");
            assertEquals("history", answer.getString("type"), answer.toString());
        }
        assertEquals("*0\n", redis.command("KEYS roomcast:{never-*"), "an anonymous read created no key");
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
