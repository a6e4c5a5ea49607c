package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.Urls;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dead peers: a connection that stops answering is pinged and then closed, while one that
 * answers the pings stays open however long it says nothing. Raw sockets, because every
 * WebSocket client library answers pings by itself.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeadPeerIT {

    static final int PING = 9;
    static final int PONG = 10;
    static final int TEXT = 1;
    static final int CLOSE = 8;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("deadpeer", Map.of(
                "roomcast.ping.interval-ms", "300",
                "roomcast.ping.timeout-ms", "600"));
    }

    @ArquillianResource
    URL base;

    private URI metrics() {
        return Urls.serverRoot(base, "/metrics?scope=application");
    }

    @Test
    @Timeout(30)
    void aClientThatAnswersNothingIsPingedThenClosedAsUnresponsive() throws Exception {
        long before = (long) Http.metric(metrics(), "roomcast_unresponsive_closes_total");
        try (RawWebSocket silent = RawWebSocket.connect(Urls.websocket(base))) {
            assertEquals(TEXT, silent.readFrame().opcode(), "welcome");
            RawWebSocket.Frame ping = silent.readFrame();
            assertEquals(PING, ping.opcode(), "the first frame after the welcome is a ping");
            RawWebSocket.Frame close = silent.readCloseFrame();
            assertTrue(close != null, "a close frame, not just the end of the socket");
            assertEquals(1001, close.closeCode());
            assertEquals("No reply to ping, please reconnect", close.closeReason());
        }
        Http.awaitMetric(metrics(), "roomcast_unresponsive_closes_total", v -> v == before + 1);
    }

    @Test
    @Timeout(30)
    void aClientThatAnswersPingsStaysOpenWhileItSaysNothing() throws Exception {
        try (RawWebSocket idle = RawWebSocket.connect(Urls.websocket(base))) {
            assertEquals(TEXT, idle.readFrame().opcode(), "welcome");
            // A client that did not answer would be closed one timeout (600 ms) after its first
            // ping; this one answers five, about three seconds.
            for (int answered = 0; answered < 5; ) {
                RawWebSocket.Frame frame = readAnsweringPings(idle);
                assertTrue(frame.opcode() != CLOSE, "closed although it answered: " + frame.closeCode());
                if (frame.opcode() == PING) {
                    answered++;
                }
            }
            idle.sendText("{\"type\":\"ping\",\"ref\":\"still-here\"}");
            RawWebSocket.Frame reply;
            do {
                reply = readAnsweringPings(idle);
            } while (reply.opcode() == PING);
            assertEquals("{\"type\":\"pong\",\"ref\":\"still-here\"}", reply.text());
        }
    }

    /** Reads the next frame and, when it is a ping, answers it as every WebSocket client does. */
    private static RawWebSocket.Frame readAnsweringPings(RawWebSocket socket) throws Exception {
        RawWebSocket.Frame frame = socket.readFrame();
        if (frame.opcode() == PING) {
            socket.sendFrame(PONG, frame.payload());
        }
        return frame;
    }
}
