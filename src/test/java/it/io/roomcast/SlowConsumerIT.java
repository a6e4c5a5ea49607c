package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member that stops reading is cut off at its outbox limit (or by the stall watchdog, if that
 * comes first); the others are not slowed down.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SlowConsumerIT {

    static final int OUTBOX_LIMIT = 20;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("slowconsumer", Map.of(
                "roomcast.rate.messages-per-second", "100000",
                "roomcast.outbox.max-messages", String.valueOf(OUTBOX_LIMIT)));
    }

    @ArquillianResource
    URL base;

    private URI metrics() {
        return Urls.serverRoot(base, "/metrics?scope=application");
    }

    /** Members closed as too slow: by their outbox limit or by the stall watchdog. */
    private long cutOff() throws Exception {
        return (long) (Http.metric(metrics(), "roomcast_outbox_overflows_total")
                + Http.metric(metrics(), "roomcast_send_stalls_total"));
    }

    @Test
    void receiverThatStopsReadingIsClosedAndOthersKeepReceiving() throws Exception {
        long cutOffBefore = cutOff();
        String payload = "x".repeat(30_000);
        int count = 400; // 12 MB: far more than the socket buffers of a client that reads nothing
        try (WsClient publisher = WsClient.connect(Urls.websocket(base));
             WsClient reader = WsClient.connect(Urls.websocket(base));
             RawWebSocket stalled = RawWebSocket.connect(Urls.websocket(base))) {
            stalled.sendText("{\"type\":\"join\",\"room\":\"slow\"}");
            reader.join("slow");
            publisher.join("slow");
            Http.awaitMetric(metrics(), "roomcast_rooms", v -> v >= 1);
            // Lock-step: only the stalled member accumulates frames, so only it can overflow.
            publisher.publishInLockStep(reader, "slow", count, payload);
            // Its outbox limit or the stall watchdog, whichever comes first on this machine.
            long cutOffNow = Http.await(this::cutOff, v -> v > cutOffBefore, WsClient.WAIT,
                    last -> "the stalled member was never cut off (" + last + ")");
            assertEquals(cutOffBefore + 1, cutOffNow, "cut off once");
            assertEquals(1013, stalled.readUntilClose(), "after what was buffered, the stalled client finds a 1013 close");
        }
    }
}
