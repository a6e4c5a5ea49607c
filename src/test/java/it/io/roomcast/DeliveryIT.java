package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Delivery on one node: fan-out to many concurrent members exactly once and in order, and
 * clients that vanish without a close frame.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeliveryIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("delivery", Map.of(
                "roomcast.rate.messages-per-second", "100000"));
    }

    @ArquillianResource
    URL base;

    private URI metrics() {
        return Urls.serverRoot(base, "/metrics?scope=application");
    }

    @Test
    void twoHundredMembersEachReceiveEveryMessageOnceAndInPublisherOrder() throws Exception {
        int members = 200;
        int publishers = 4;
        int perPublisher = 50;
        List<WsClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(publishers);
        try {
            for (int i = 0; i < members; i++) {
                WsClient client = WsClient.connect(Urls.websocket(base));
                client.join("fanout");
                clients.add(client);
            }
            List<Future<?>> sends = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                WsClient publisher = clients.get(p * 50);
                sends.add(pool.submit(() -> {
                    for (int seq = 0; seq < perPublisher; seq++) {
                        publisher.send("{\"type\":\"publish\",\"room\":\"fanout\",\"data\":{\"seq\":" + seq + "}}");
                    }
                    return null;
                }));
            }
            for (Future<?> send : sends) {
                send.get();
            }
            for (WsClient client : clients) {
                assertEveryPublisherInOrder(client.messages(publishers * perPublisher), publishers, perPublisher);
            }
            for (WsClient client : clients) {
                assertEquals("pong", client.request("{\"type\":\"ping\"}").getString("type"), "no extra message was delivered");
            }
        } finally {
            pool.shutdownNow();
            for (WsClient client : clients) {
                client.close();
            }
        }
    }

    private static void assertEveryPublisherInOrder(List<JsonObject> messages, int publishers, int perPublisher) {
        Map<String, Integer> nextSeq = new HashMap<>();
        for (JsonObject message : messages) {
            String from = message.getString("from");
            int seq = message.getJsonObject("data").getInt("seq");
            int expected = nextSeq.getOrDefault(from, 0);
            assertEquals(expected, seq, "message from " + from + " out of order or duplicated");
            nextSeq.put(from, expected + 1);
        }
        assertEquals(publishers, nextSeq.size());
        nextSeq.values().forEach(count -> assertEquals(perPublisher, count));
    }

    @Test
    void resetConnectionWithoutCloseFrameFreesItsMemberships() throws Exception {
        Http.awaitMetric(metrics(), "roomcast_rooms", v -> v == 0);
        long connectionsBefore = Http.awaitMetric(metrics(), "websocket_connections_total", v -> v == 0);
        try (WsClient survivor = WsClient.connect(Urls.websocket(base))) {
            survivor.join("shared-room");
            RawWebSocket crashing = RawWebSocket.connect(Urls.websocket(base));
            assertTrue(crashing.upgraded(), crashing.handshakeStatus());
            crashing.readFrame(); // welcome
            crashing.sendText("{\"type\":\"join\",\"room\":\"shared-room\"}");
            crashing.sendText("{\"type\":\"join\",\"room\":\"only-the-crashing-client\"}");
            crashing.readFrame();
            crashing.readFrame();
            assertEquals(2, Http.awaitMetric(metrics(), "roomcast_rooms", v -> v == 2));

            crashing.reset();

            assertEquals(1, Http.awaitMetric(metrics(), "roomcast_rooms", v -> v == 1), "the crashed client's own room is gone");
            assertEquals(connectionsBefore + 1, Http.awaitMetric(metrics(), "websocket_connections_total", v -> v == connectionsBefore + 1));
            survivor.send("{\"type\":\"publish\",\"room\":\"shared-room\",\"data\":\"still here\"}");
            assertEquals("still here", survivor.next().getString("data"));
        }
    }
}
