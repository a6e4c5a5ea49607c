package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Contract v1.2, section 7, across two real nodes over one real Redis: a publish retried with its
 * idempotency key, from another node and over HTTP, is stored and delivered once, and the retry's
 * answer names the first message; every message frame carries its epoch.
 */
class IdempotentPublishIT {

    private static RedisServer redis;
    private static LibertyNode a;
    private static LibertyNode b;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        List<LibertyNode> nodes = LibertyNode.startTwoOnRedis("idempotent", redis.url());
        a = nodes.get(0);
        b = nodes.get(1);
    }

    @AfterAll
    static void stop() throws Exception {
        Processes.closeAll(a, b, redis);
    }

    @Test
    void aKeyPublishedOverWebSocketOnOneNodeAndRetriedOverHttpOnAnotherIsDeliveredOnce() throws Exception {
        try (WsClient publisher = WsClient.connect(a.ws()); WsClient watcher = WsClient.connect(a.ws());
             WsClient reader = WsClient.connect(b.ws())) {
            String epoch = publisher.join("keyed").getString("epoch");
            watcher.join("keyed");
            reader.join("keyed");
            JsonObject ack = publish(publisher, "\"once\"", "order-42");
            assertFalse(ack.containsKey("duplicate"), ack.toString());

            HttpResponse<String> retry = Http.postJson(b.http("/api/rooms/keyed/messages"), "\"twice\"", Map.of("Idempotency-Key", "order-42"));
            assertEquals(202, retry.statusCode(), retry.body());
            assertEquals(Json.createObjectBuilder().add("id", ack.getString("id")).add("offset", ack.getInt("offset"))
                    .add("duplicate", true).build(), json(retry.body()), "the first message's id and offset");
            JsonObject again = publish(publisher, "\"thrice\"", "order-42");
            assertEquals(ack.getString("id"), again.getString("id"));
            assertTrue(again.getBoolean("duplicate"), again.toString());

            publisher.send("{\"type\":\"publish\",\"room\":\"keyed\",\"data\":\"next\"}");
            for (WsClient member : List.of(watcher, reader)) {
                List<JsonObject> received = member.messages(2);
                assertEquals(List.of("once", "next"), received.stream().map(m -> m.getString("data")).toList(), "delivered once");
                assertEquals(ack.getString("id"), received.get(0).getString("id"));
                for (JsonObject message : received) {
                    assertEquals(epoch, message.getString("epoch"), "every live message names its epoch: " + message);
                }
            }
            JsonObject history = json(Http.get(b.http("/api/rooms/keyed/history")).body());
            assertEquals(2, history.getJsonArray("messages").size(), "stored once: " + history);
            assertEquals(epoch, history.getJsonArray("messages").getJsonObject(0).getString("epoch"), "history frames name it too");
        }
    }

    /** Publishes {@code data} with {@code key} and returns the ack (the publisher's own copies are skipped). */
    private static JsonObject publish(WsClient publisher, String data, String key) throws Exception {
        publisher.send("{\"type\":\"publish\",\"room\":\"keyed\",\"data\":" + data + ",\"key\":\"" + key + "\",\"ref\":\"" + key + "\"}");
        return publisher.next(f -> !"message".equals(f.getString("type")));
    }

    @Test
    void keysOutsideOneTo64CharactersAreRefused() throws Exception {
        try (WsClient client = WsClient.connect(a.ws())) {
            client.join("bad-keys");
            JsonObject refused = client.request("{\"type\":\"publish\",\"room\":\"bad-keys\",\"data\":1,\"key\":\"\",\"ref\":\"k\"}");
            assertEquals("bad_request", refused.getString("code"), refused.toString());
            assertEquals("k", refused.getString("ref"));
        }
        HttpResponse<String> tooLong = Http.postJson(b.http("/api/rooms/bad-keys/messages"), "1", Map.of("Idempotency-Key", "k".repeat(65)));
        assertEquals(400, tooLong.statusCode(), tooLong.body());
        assertEquals("bad_request", json(tooLong.body()).getString("code"));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
