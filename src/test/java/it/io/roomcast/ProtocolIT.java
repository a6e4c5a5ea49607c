package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every row of PROTOCOL.md section 1 on one real Liberty node with the in-memory bus. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProtocolIT {

    static final int MAX_ROOMS = 3;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("protocol", Map.of(
                "roomcast.max-rooms-per-connection", String.valueOf(MAX_ROOMS),
                "roomcast.max-message-bytes", "4096",
                "roomcast.rate.messages-per-second", "40"));
    }

    @ArquillianResource
    URL base;

    private URI ws() {
        return Urls.websocket(base);
    }

    @Test
    void welcomeNamesSessionAndNode() throws Exception {
        try (WsClient a = WsClient.connect(ws()); WsClient b = WsClient.connect(ws())) {
            assertFalse(a.sessionId().isEmpty());
            assertNotEquals(a.sessionId(), b.sessionId());
            assertEquals(a.welcome().getString("node"), b.welcome().getString("node"));
        }
    }

    @Test
    void joinAnswersJoinedAndJoiningTwiceAnswersAgain() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            JsonObject first = client.request("{\"type\":\"join\",\"room\":\"lobby\",\"ref\":\"j1\"}");
            assertEquals("joined", first.getString("type"));
            assertEquals("lobby", first.getString("room"));
            JsonObject again = client.request("{\"type\":\"join\",\"room\":\"lobby\"}");
            assertEquals("joined", again.getString("type"));
        }
    }

    @Test
    void leaveEndsMembershipAndLeavingAgainIsNotMember() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            client.join("leave-room");
            JsonObject left = client.request("{\"type\":\"leave\",\"room\":\"leave-room\"}");
            assertEquals("left", left.getString("type"));
            assertEquals("leave-room", left.getString("room"));
            assertError(client.request("{\"type\":\"leave\",\"room\":\"leave-room\",\"ref\":\"l2\"}"), "not_member", "l2");
            assertError(client.request("{\"type\":\"publish\",\"room\":\"leave-room\",\"data\":1}"), "not_member", null);
        }
    }

    @Test
    void publishReachesEveryMemberAndTheSenderWithAck() throws Exception {
        try (WsClient sender = WsClient.connect(ws()); WsClient other = WsClient.connect(ws());
             WsClient outsider = WsClient.connect(ws())) {
            sender.join("chat");
            other.join("chat");
            long before = System.currentTimeMillis();
            sender.send("{\"type\":\"publish\",\"room\":\"chat\",\"data\":{\"text\":\"hi\",\"n\":1.50,\"list\":[null,true]},\"ref\":\"p1\"}");

            JsonObject received = other.next();
            assertEquals("message", received.getString("type"));
            assertEquals("chat", received.getString("room"));
            assertEquals(Json.createReader(new java.io.StringReader("{\"text\":\"hi\",\"n\":1.50,\"list\":[null,true]}")).readObject(),
                    received.getJsonObject("data"));
            assertEquals(sender.sessionId(), received.getString("from"));
            long ts = received.getJsonNumber("ts").longValue();
            assertTrue(ts >= before - 1000 && ts <= System.currentTimeMillis() + 1000, "ts is epoch ms: " + ts);

            List<JsonObject> senderFrames = List.of(sender.next(), sender.next());
            JsonObject own = senderFrames.stream().filter(f -> f.getString("type").equals("message")).findFirst().orElseThrow();
            JsonObject ack = senderFrames.stream().filter(f -> f.getString("type").equals("ack")).findFirst().orElseThrow();
            assertEquals("p1", ack.getString("ref"));
            assertEquals(received.getString("id"), ack.getString("id"));
            assertEquals(received, own);

            assertEquals("pong", outsider.request("{\"type\":\"ping\"}").getString("type"), "non-members get nothing");
        }
    }

    @Test
    void publishWithoutRefGetsNoAck() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            client.join("quiet");
            client.send("{\"type\":\"publish\",\"room\":\"quiet\",\"data\":null}");
            JsonObject message = client.next();
            assertEquals("message", message.getString("type"));
            assertTrue(message.isNull("data"), "null is a JSON value and is delivered");
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void pingAnswersPongWithTheSameRef() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            JsonObject pong = client.request("{\"type\":\"ping\",\"ref\":\"r-42\"}");
            assertEquals("pong", pong.getString("type"));
            assertEquals("r-42", pong.getString("ref"));
            assertFalse(client.request("{\"type\":\"ping\"}").containsKey("ref"));
        }
    }

    @Test
    void badInputAnswersTheErrorCodeWithRefAndKeepsTheConnection() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            assertError(client.request("not json"), "bad_json", null);
            assertError(client.request("[1,2]"), "bad_json", null);
            assertError(client.request("{\"type\":\"ping\"} trailing"), "bad_json", null);
            assertError(client.request("{\"ref\":\"a\"}"), "bad_request", "a");
            assertError(client.request("{\"type\":7,\"ref\":\"b\"}"), "bad_request", "b");
            assertError(client.request("{\"type\":\"join\",\"ref\":\"c\"}"), "bad_request", "c");
            assertError(client.request("{\"type\":\"join\",\"room\":5,\"ref\":\"d\"}"), "bad_request", "d");
            assertError(client.request("{\"type\":\"publish\",\"room\":\"x\",\"ref\":\"e\"}"), "bad_request", "e");
            assertError(client.request("{\"type\":\"ping\",\"ref\":7}"), "bad_request", null);
            assertError(client.request("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}"), "bad_request", null);
            assertError(client.request("{\"type\":\"subscribe\",\"ref\":\"f\"}"), "unknown_type", "f");
            assertError(client.request("{\"type\":\"join\",\"room\":\"has space\",\"ref\":\"g\"}"), "bad_room", "g");
            assertError(client.request("{\"type\":\"join\",\"room\":\"\"}"), "bad_room", null);
            assertError(client.request("{\"type\":\"join\",\"room\":\"" + "r".repeat(129) + "\"}"), "bad_room", null);
            assertError(client.request("{\"type\":\"join\",\"room\":\"caf\u00e9\"}"), "bad_room", null);
            assertEquals("joined", client.request("{\"type\":\"join\",\"room\":\"" + "r".repeat(128) + "\"}").getString("type"));
            assertEquals("joined", client.request("{\"type\":\"join\",\"room\":\"A-z_0.9:x@y\"}").getString("type"));
            assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"));
            assertTrue(client.isOpen());
        }
    }

    @Test
    void joiningMoreThanTheRoomLimitIsTooManyRooms() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            for (int i = 0; i < MAX_ROOMS; i++) {
                client.join("limit-" + i);
            }
            assertError(client.request("{\"type\":\"join\",\"room\":\"limit-x\",\"ref\":\"t\"}"), "too_many_rooms", "t");
            assertEquals("joined", client.request("{\"type\":\"join\",\"room\":\"limit-0\"}").getString("type"),
                    "re-joining a room already joined is not a new room");
            client.request("{\"type\":\"leave\",\"room\":\"limit-0\"}");
            client.join("limit-x");
        }
    }

    @Test
    void sendingFasterThanTheRateIsRateLimitedAndRecovers() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            int sent = 120;
            for (int i = 0; i < sent; i++) {
                client.send("{\"type\":\"ping\",\"ref\":\"" + i + "\"}");
            }
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < sent; i++) {
                JsonObject reply = client.next();
                if (reply.getString("type").equals("pong")) {
                    pongs++;
                } else {
                    assertError(reply, "rate_limited", String.valueOf(i));
                    limited++;
                }
            }
            assertTrue(limited > 0, "some frames must be refused");
            assertTrue(pongs >= 40, "the burst allowance is honoured: " + pongs);
            assertTrue(client.isOpen());
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        try (WsClient client = WsClient.connect(ws()); WsClient bystander = WsClient.connect(ws())) {
            client.sendBinary(new byte[] {1, 2, 3});
            CloseReason reason = client.awaitClose();
            assertEquals(1003, reason.getCloseCode().getCode());
            assertEquals("pong", bystander.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void frameLargerThanTheLimitClosesWith1009() throws Exception {
        try (WsClient client = WsClient.connect(ws()); WsClient bystander = WsClient.connect(ws())) {
            client.send("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(5000) + "\"}");
            CloseReason reason = client.awaitClose();
            assertEquals(1009, reason.getCloseCode().getCode());
            assertEquals("pong", bystander.request("{\"type\":\"ping\"}").getString("type"));
        }
    }

    @Test
    void multiByteFrameJustUnderTheLimitIsAccepted() throws Exception {
        try (WsClient client = WsClient.connect(ws())) {
            client.join("utf8");
            String text = "\u00e9".repeat(1900); // 3800 UTF-8 bytes of data, under 4096 with the envelope
            client.send("{\"type\":\"publish\",\"room\":\"utf8\",\"data\":\"" + text + "\"}");
            assertEquals(text, client.next().getString("data"));
        }
    }

    @Test
    void handshakeCreatesNoHttpSession() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(ws(), null, Map.of("Cookie", "JSESSIONID=unknown"))) {
            assertTrue(socket.upgraded(), socket.handshakeStatus());
            assertEquals(List.of(), socket.handshakeHeader("Set-Cookie"));
            assertEquals("welcome", Json.createReader(new StringReader(socket.readFrame().text())).readObject().getString("type"));
        }
    }

    @Test
    void handshakeLargerThanTheFirstReadBufferIsAccepted() throws Exception {
        // liberty/server.xml makes the first read 1 KiB; browsers send larger cookies and tokens.
        String cookie = "big=" + "c".repeat(6000);
        try (RawWebSocket socket = RawWebSocket.connect(ws(), null, Map.of("Cookie", cookie))) {
            assertTrue(socket.upgraded(), socket.handshakeStatus());
            assertTrue(socket.readFrame().text().contains("\"welcome\""));
        }
    }

    @Test
    void closedConnectionLeavesNothingInTheRegistry() throws Exception {
        URI metrics = Urls.serverRoot(base, "/metrics?scope=application");
        Http.awaitMetric(metrics, "roomcast_rooms", v -> v == 0);
        try (WsClient client = WsClient.connect(ws())) {
            client.join("gone-1");
            client.join("gone-2");
            assertEquals(2, Http.awaitMetric(metrics, "roomcast_rooms", v -> v == 2));
        }
        assertEquals(0, Http.awaitMetric(metrics, "roomcast_rooms", v -> v == 0));
        assertEquals(0, Http.awaitMetric(metrics, "websocket_connections_total", v -> v == 0));
    }

    static void assertError(JsonObject frame, String code, String ref) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
        assertFalse(frame.getString("message").isBlank());
        if (ref == null) {
            assertFalse(frame.containsKey("ref"), frame.toString());
        } else {
            assertEquals(ref, frame.getString("ref"), frame.toString());
        }
    }
}
