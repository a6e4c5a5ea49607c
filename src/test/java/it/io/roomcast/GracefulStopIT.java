package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real stop signal (SIGTERM, as a container runtime or Kubernetes sends it) with clients
 * connected: the node drains before Liberty stops. The number of clients is
 * {@code -Droomcast.drain.clients} (20 in CI) and the drain time {@code -Droomcast.drain.seconds}
 * (4); the figures for 1,000 clients in docs/operations.md were measured with this test.
 */
class GracefulStopIT {

    private static final int CLIENTS = Integer.getInteger("roomcast.drain.clients", 20);
    private static final int DRAIN_SECONDS = Integer.getInteger("roomcast.drain.seconds", 4);
    private static final int MESSAGES = 5;
    /** Liberty's own stop (applications, features, JVM exit) after the drain. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(10);

    private final List<WsClient> clients = new ArrayList<>();
    private LibertyNode node;

    @AfterEach
    void cleanUp() throws Exception {
        for (WsClient client : clients) {
            client.close();
        }
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void stopSignalDeliversAcceptedMessagesThenClosesEveryClientWith1001() throws Exception {
        node = LibertyNode.start("graceful", FreePorts.next(),
                Map.of("ROOMCAST_SHUTDOWN_DRAIN_SECONDS", String.valueOf(DRAIN_SECONDS)));
        for (int i = 0; i < CLIENTS; i++) {
            WsClient client = WsClient.connect(node.ws());
            clients.add(client);
            client.join("stopping");
        }
        WsClient publisher = WsClient.connect(node.ws());
        publisher.join("stopping");
        for (int i = 0; i < MESSAGES; i++) {
            publisher.send("{\"type\":\"publish\",\"room\":\"stopping\",\"data\":" + i + ",\"ref\":\"m" + i + "\"}");
        }
        // Acknowledged means accepted: from here on every member must get all of them.
        for (int i = 0; i < MESSAGES; i++) {
            publisher.next(f -> "ack".equals(f.getString("type")));
        }

        long start = System.nanoTime();
        node.terminate(Duration.ofSeconds(DRAIN_SECONDS).plus(STOP_MARGIN));
        Duration stopTime = Duration.ofNanos(System.nanoTime() - start);

        Map<Integer, Integer> closeCodes = new TreeMap<>();
        for (WsClient client : clients) {
            List<JsonObject> received = client.messages(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i, received.get(i).getInt("data"), "messages accepted before the stop arrive in order");
            }
            CloseReason reason = client.awaitClose();
            closeCodes.merge(reason.getCloseCode().getCode(), 1, Integer::sum);
        }
        System.out.printf("SIGTERM with %d clients took %d ms; close codes %s%n", CLIENTS, stopTime.toMillis(), closeCodes);
        assertEquals(1001, publisher.awaitClose().getCloseCode().getCode());
        publisher.close();
        assertEquals(Map.of(1001, CLIENTS), closeCodes, "every client is told to reconnect, none sees a dropped socket");
        assertTrue(stopTime.compareTo(Duration.ofSeconds(DRAIN_SECONDS).plus(STOP_MARGIN)) < 0,
                "the server stopped within the drain time plus " + STOP_MARGIN + ", took " + stopTime);
    }
}
