package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Contract section 7 on one real Liberty node with the in-memory bus: offsets, join with
 * {@code since}, the {@code history} request and resource, and their bad input. Identities come
 * from a trusted proxy so that the room access rules can refuse.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HistoryIT {

    private static final Map<String, String> ANN = user("ann", "staff");
    private static final Map<String, String> BOB = user("bob", "guests");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("history", Map.of(
                "roomcast.auth.mode", "proxy",
                "roomcast.auth.trusted-proxies", "127.0.0.1",
                "roomcast.acl", "staff-*=staff/staff",
                "roomcast.history.size", "20"));
    }

    @ArquillianResource
    URL base;

    private static Map<String, String> user(String name, String groups) {
        return Map.of("X-Forwarded-User", name, "X-Forwarded-Groups", groups);
    }

    private WsClient connect(Map<String, String> identity) throws Exception {
        return WsClient.connect(Urls.websocket(base), identity);
    }

    /** Publishes {@code count} messages and returns them as the publisher received them. */
    private static List<JsonObject> publish(WsClient publisher, String room, int count) throws Exception {
        for (int n = 0; n < count; n++) {
            publisher.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":" + n + ",\"ref\":\"p" + n + "\"}");
        }
        List<JsonObject> acks = new ArrayList<>();
        List<JsonObject> messages = new ArrayList<>();
        while (acks.size() + messages.size() < 2 * count) {
            JsonObject frame = publisher.next();
            ("ack".equals(frame.getString("type")) ? acks : messages).add(frame);
        }
        for (int n = 0; n < count; n++) {
            assertEquals(messages.get(n).getJsonNumber("offset").longValue(), acks.get(n).getJsonNumber("offset").longValue(),
                    "ack and message carry the same offset");
        }
        return messages;
    }

    @Test
    void joinWithSinceReplaysWhatWasMissedInOrderThenLiveMessages() throws Exception {
        try (WsClient publisher = connect(ANN); WsClient late = connect(BOB)) {
            JsonObject joined = publisher.join("recover");
            assertEquals(0, joined.getInt("offset"), "a new room starts at offset 0");
            String epoch = joined.getString("epoch");
            List<JsonObject> sent = publish(publisher, "recover", 5);
            assertEquals(List.of(1, 2, 3, 4, 5), sent.stream().map(m -> m.getInt("offset")).toList());
            JsonObject rejoined = late.request("{\"type\":\"join\",\"room\":\"recover\",\"since\":{\"offset\":2,\"epoch\":\""
                    + epoch + "\"},\"ref\":\"j\"}");
            assertEquals(Json.createObjectBuilder().add("type", "joined").add("room", "recover").add("offset", 5)
                    .add("epoch", epoch).add("recovered", true).add("ref", "j").build(), rejoined);
            assertEquals(sent.subList(2, 5), late.messages(3), "the same frames: id, ts, from and offset");
            publisher.send("{\"type\":\"publish\",\"room\":\"recover\",\"data\":\"live\"}");
            assertEquals(6, late.messages(1).get(0).getInt("offset"));
        }
    }

    @Test
    void sinceFromAnotherEpochOrBeyondTheHistoryIsAGap() throws Exception {
        try (WsClient publisher = connect(ANN); WsClient stale = connect(BOB); WsClient far = connect(BOB)) {
            String epoch = publisher.join("gap").getString("epoch");
            publish(publisher, "gap", 25); // history keeps 20: offsets 6 to 25
            JsonObject other = stale.request("{\"type\":\"join\",\"room\":\"gap\",\"since\":{\"offset\":3,\"epoch\":\"gone\"}}");
            assertFalse(other.getBoolean("recovered"));
            JsonObject tooOld = far.request("{\"type\":\"join\",\"room\":\"gap\",\"since\":{\"offset\":4,\"epoch\":\"" + epoch + "\"}}");
            assertFalse(tooOld.getBoolean("recovered"), "offset 5 is no longer kept");
            assertEquals(25, tooOld.getInt("offset"));
            publisher.send("{\"type\":\"publish\",\"room\":\"gap\",\"data\":\"live\"}");
            assertEquals(26, stale.next().getInt("offset"), "no replay: the next frame is the live one");
            assertEquals(26, far.next().getInt("offset"));
        }
    }

    @Test
    void historyRequestReturnsTheNewestPageOldestFirstWithoutMembership() throws Exception {
        try (WsClient publisher = connect(ANN); WsClient reader = connect(BOB)) {
            String epoch = publisher.join("pages").getString("epoch");
            List<JsonObject> sent = publish(publisher, "pages", 6);
            JsonObject page = reader.request("{\"type\":\"history\",\"room\":\"pages\",\"limit\":2,\"before\":5,\"ref\":\"h\"}");
            assertEquals(Json.createObjectBuilder().add("type", "history").add("room", "pages").add("epoch", epoch)
                    .add("offset", 6).add("ref", "h").add("messages", Json.createArrayBuilder().add(sent.get(2)).add(sent.get(3)))
                    .build(), page);
            JsonObject newest = reader.request("{\"type\":\"history\",\"room\":\"pages\"}");
            assertEquals(6, newest.getJsonArray("messages").size(), "limit 50 by default");
            assertTrue(reader.drainReceived().isEmpty(), "a reader that did not join gets no live messages");
        }
    }

    @Test
    void malformedSinceLimitOrBeforeIsBadRequest() throws Exception {
        try (WsClient client = connect(ANN)) {
            for (String bad : List.of(
                    "{\"type\":\"join\",\"room\":\"bad\",\"since\":5,\"ref\":\"r\"}",
                    "{\"type\":\"join\",\"room\":\"bad\",\"since\":{\"offset\":-1,\"epoch\":\"e\"},\"ref\":\"r\"}",
                    "{\"type\":\"join\",\"room\":\"bad\",\"since\":{\"offset\":1},\"ref\":\"r\"}",
                    "{\"type\":\"history\",\"room\":\"bad\",\"limit\":0,\"ref\":\"r\"}",
                    "{\"type\":\"history\",\"room\":\"bad\",\"limit\":1000000000000,\"ref\":\"r\"}",
                    "{\"type\":\"history\",\"room\":\"bad\",\"before\":0,\"ref\":\"r\"}",
                    "{\"type\":\"history\",\"room\":\"bad\",\"before\":\"7\",\"ref\":\"r\"}")) {
                JsonObject error = client.request(bad);
                assertEquals("error", error.getString("type"), bad);
                assertEquals("bad_request", error.getString("code"), bad);
                assertEquals("r", error.getString("ref"), bad);
            }
            assertEquals("joined", client.join("bad").getString("type"), "the connection stays usable");
        }
    }

    @Test
    void historyNeedsTheRightToJoin() throws Exception {
        try (WsClient guest = connect(BOB)) {
            JsonObject refused = guest.request("{\"type\":\"history\",\"room\":\"staff-only\",\"ref\":\"h\"}");
            assertEquals("forbidden", refused.getString("code"));
            HttpResponse<String> http = Http.get(Urls.app(base, "/api/rooms/staff-only/history"), BOB);
            assertEquals(403, http.statusCode(), http.body());
            assertEquals("forbidden", json(http.body()).getString("code"));
            assertEquals(401, Http.get(Urls.app(base, "/api/rooms/staff-only/history")).statusCode(), "no identity");
            assertEquals(200, Http.get(Urls.app(base, "/api/rooms/staff-only/history"), ANN).statusCode());
        }
    }

    @Test
    void httpHistoryAndPublishCarryOffsetsAndRefuseBadParameters() throws Exception {
        try (WsClient member = connect(ANN)) {
            String epoch = member.join("http-history").getString("epoch");
            HttpResponse<String> accepted = Http.postJson(Urls.app(base, "/api/rooms/http-history/messages"), "{\"n\":1}",
                    user("svc", "roomcast-publisher"));
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals(1, json(accepted.body()).getInt("offset"));
            JsonObject message = member.messages(1).get(0);
            HttpResponse<String> read = Http.get(Urls.app(base, "/api/rooms/http-history/history?limit=10"), ANN);
            assertEquals(200, read.statusCode(), read.body());
            assertEquals(Json.createObjectBuilder().add("room", "http-history").add("epoch", epoch).add("offset", 1)
                    .add("messages", Json.createArrayBuilder().add(message)).build(), json(read.body()));
            for (String query : List.of("limit=101", "limit=99999999999999999999", "limit=", "before=0", "before=x", "limit=2.0")) {
                HttpResponse<String> bad = Http.get(Urls.app(base, "/api/rooms/http-history/history?" + query), ANN);
                assertEquals(400, bad.statusCode(), query + ": " + bad.body());
                assertEquals("bad_request", json(bad.body()).getString("code"), query);
            }
            HttpResponse<String> badRoom = Http.get(Urls.app(base, "/api/rooms/no%20spaces/history"), ANN);
            assertEquals("bad_room", json(badRoom.body()).getString("code"));
        }
    }

    @Test
    void recoveriesAndHistoryReadsAreCounted() throws Exception {
        URI metrics = Urls.serverRoot(base, "/metrics?scope=application");
        try (WsClient client = connect(ANN)) {
            String epoch = client.join("counted").getString("epoch");
            client.request("{\"type\":\"history\",\"room\":\"counted\"}");
            try (WsClient again = connect(ANN)) {
                again.request("{\"type\":\"join\",\"room\":\"counted\",\"since\":{\"offset\":0,\"epoch\":\"" + epoch + "\"}}");
            }
        }
        Http.awaitMetric(metrics, "roomcast_history_reads_total", n -> n >= 1);
        assertTrue(Http.metric(metrics, "roomcast_recoveries_total", "result=\"recovered\"") >= 1);
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
