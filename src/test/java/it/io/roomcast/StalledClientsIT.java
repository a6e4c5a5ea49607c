package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
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
 * Clients that stop reading block the synchronous writes to them; the send pool's watchdog
 * closes them, the writes blocked on them end, and a reading member of the same room misses
 * nothing. The outbox limit is out of reach here, so only the stall detection can act.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class StalledClientsIT {

    static final int SENDERS = 2;
    static final int STALLED = 6;
    /**
     * Liberty closes a stalled connection's socket after waiting up to 30 s for the client's
     * close frame (5.5 s more when even the close frame does not fit in the socket buffer).
     */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(90);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("stalledclients", Map.of(
                "roomcast.rate.messages-per-second", "100000",
                "roomcast.outbox.max-messages", "100000",
                "roomcast.send.threads", String.valueOf(SENDERS),
                "roomcast.send.stall-ms", "500",
                "roomcast.send.max-stalled-threads", String.valueOf(STALLED + 2)));
    }

    @ArquillianResource
    URL base;

    private URI metrics() {
        return Urls.serverRoot(base, "/metrics?scope=application");
    }

    @Test
    void clientsThatStopReadingAreClosedAndTheirBlockedSendersEnd() throws Exception {
        String payload = "x".repeat(30_000);
        int count = 400; // 12 MB per member: far more than the socket buffers of a client that reads nothing
        List<RawWebSocket> stalled = new ArrayList<>();
        try (WsClient publisher = WsClient.connect(Urls.websocket(base));
             WsClient reader = WsClient.connect(Urls.websocket(base))) {
            long stallsBefore = (long) Http.metric(metrics(), "roomcast_send_stalls_total");
            for (int i = 0; i < STALLED; i++) {
                RawWebSocket client = RawWebSocket.connect(Urls.websocket(base));
                stalled.add(client);
                client.sendText("{\"type\":\"join\",\"room\":\"stall\"}");
            }
            reader.join("stall");
            publisher.join("stall");
            Http.awaitMetric(metrics(), "roomcast_rooms", v -> v >= 1);
            publisher.publishInLockStep(reader, "stall", count, payload); // the reader gets every message in order
            Http.awaitMetric(metrics(), "roomcast_send_stalls_total", v -> v == stallsBefore + STALLED, CLOSE_BOUND);
            // Still nobody read from the stalled sockets: only their closing can release the writes.
            long stalledAt = System.nanoTime();
            Http.awaitMetric(metrics(), "roomcast_send_threads", v -> v == SENDERS, CLOSE_BOUND);
            System.out.println("Blocked senders ended " + Duration.ofNanos(System.nanoTime() - stalledAt).toMillis() + " ms after the last stall");
            List<Integer> codes = new ArrayList<>();
            for (RawWebSocket client : stalled) {
                codes.add(client.readUntilClose());
            }
            System.out.println("Stalled clients read close codes " + codes);
            assertTrue(codes.stream().allMatch(code -> code == 1013 || code == -1), "closed as too slow (or cut off): " + codes);
        } finally {
            for (RawWebSocket client : stalled) {
                client.close();
            }
        }
    }
}
