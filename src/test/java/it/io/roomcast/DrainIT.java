package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Health;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin drain ({@code POST /api/admin/drain}) and {@code scripts/drain}, which calls it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DrainIT {

    static final int CLIENTS = 10;
    static final int MESSAGES = 3;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("draining", Map.of("roomcast.shutdown.drain-seconds", "2"));
    }

    @ArquillianResource
    URL base;

    @Test
    void drainTurnsReadinessDownRefusesNewClientsAndClosesEveryClientWith1001AfterItsMessages() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                WsClient client = WsClient.connect(Urls.websocket(base));
                client.join("drained");
                clients.add(client);
            }
            WsClient publisher = WsClient.connect(Urls.websocket(base));
            clients.add(publisher);
            publisher.join("drained");
            // Acknowledged means accepted: from here on the drain must deliver all of them first.
            publisher.publishAcknowledged("drained", MESSAGES);
            double refusedBefore = Http.metric(Urls.serverRoot(base, "/metrics"), "roomcast_connections_rejected_total",
                    "reason=\"draining\"");

            var started = Http.postJson(Urls.app(base, "/api/admin/drain"), "");
            assertEquals(202, started.statusCode(), started.body());
            JsonObject readiness = Health.check(Urls.serverRoot(base, "/health/ready"));
            assertEquals("DOWN", readiness.getString("status"), "readiness is DOWN at once");
            assertEquals("draining", readiness.getJsonObject("data").getString("reason"));
            WsClient late = WsClient.connectRaw(Urls.websocket(base), ClientEndpointConfig.Builder.create().build());
            assertEquals(1001, late.awaitClose().getCloseCode().getCode(), "a new client is sent to another node");

            JsonObject report = runDrainScript();
            assertTrue(report.getBoolean("done"), report.toString());
            assertEquals(CLIENTS + 1, report.getInt("connections"), "the members and the publisher");
            assertEquals(0, report.getInt("forced"));
            for (WsClient client : clients) {
                if (client != publisher) {
                    List<JsonObject> received = client.messages(MESSAGES);
                    for (int i = 0; i < MESSAGES; i++) {
                        assertEquals(i, received.get(i).getInt("data"), "messages accepted before the drain arrive in order");
                    }
                }
                CloseReason reason = client.awaitClose();
                assertEquals(1001, reason.getCloseCode().getCode());
                assertTrue(reason.getReasonPhrase().contains("reconnect"), reason.getReasonPhrase());
            }
            assertEquals(1, Http.metric(Urls.serverRoot(base, "/metrics"), "roomcast_connections_rejected_total",
                    "reason=\"draining\"") - refusedBefore);
            assertEquals(0, (long) Http.metric(Urls.serverRoot(base, "/metrics"), "websocket_connections_total"));
        } finally {
            for (WsClient client : clients) {
                client.close();
            }
        }
    }

    /** Runs {@code scripts/drain BASE} as an operator would; returns its JSON answer. */
    private JsonObject runDrainScript() throws Exception {
        Process drain = new ProcessBuilder("scripts/drain", Urls.app(base, "").toString()).redirectErrorStream(true).start();
        assertTrue(drain.waitFor(30, TimeUnit.SECONDS), "scripts/drain returned");
        String out = new String(drain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, drain.exitValue(), out);
        return Json.createReader(new StringReader(out.trim())).readObject();
    }
}
