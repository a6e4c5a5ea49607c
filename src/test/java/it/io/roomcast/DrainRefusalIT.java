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
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a draining node does with the handshakes that keep arriving: each is refused with 1001
 * off the container's threads, so a burst of them leaves the node answering. And the drain
 * API refuses a {@code wait} it cannot read instead of guessing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainRefusalIT {

    /** Handshakes opened at once against the draining node. */
    static final int BURST = 60;
    /** A node that answers at all answers a liveness probe well within this. */
    static final Duration RESPONSIVE = Duration.ofSeconds(2);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("refusing", Map.of("roomcast.shutdown.drain-seconds", "2"));
    }

    @ArquillianResource
    URL base;

    @Test
    @Order(1)
    void drainWithAnUnreadableWaitIsA400AndDoesNotDrain() throws Exception {
        HttpResponse<String> answer = Http.postJson(Urls.app(base, "/api/admin/drain?wait=maybe"), "");
        assertEquals(400, answer.statusCode(), answer.body());
        JsonObject error = Json.createReader(new StringReader(answer.body())).readObject();
        assertEquals("bad_request", error.getString("code"), answer.body());
        assertTrue(error.getString("message").contains("wait"), answer.body());
        assertEquals("UP", Health.check(Urls.serverRoot(base, "/health/ready")).getString("status"),
                "the node is still in service");
    }

    @Test
    @Order(2)
    void everyHandshakeDuringADrainIsRefusedWith1001WhileTheNodeKeepsAnswering() throws Exception {
        double refusedBefore = Http.metric(Urls.serverRoot(base, "/metrics"), "roomcast_connections_rejected_total",
                "reason=\"draining\"");
        var started = Http.postJson(Urls.app(base, "/api/admin/drain"), "");
        assertEquals(202, started.statusCode(), started.body());

        ExecutorService clients = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<Integer>> closeCodes = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                closeCodes.add(clients.submit(() -> {
                    try (WsClient late = WsClient.connectRaw(Urls.websocket(base),
                            ClientEndpointConfig.Builder.create().build())) {
                        return late.awaitClose().getCloseCode().getCode();
                    }
                }));
            }
            // Probe liveness for as long as the refusals are going on: every answer comes quickly.
            long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
            do {
                long askedAt = System.nanoTime();
                HttpResponse<String> live = Http.get(Urls.serverRoot(base, "/health/live"));
                Duration took = Duration.ofNanos(System.nanoTime() - askedAt);
                assertEquals(200, live.statusCode(), live.body());
                assertTrue(took.compareTo(RESPONSIVE) < 0, "liveness answered in " + took.toMillis() + " ms");
            } while (!closeCodes.stream().allMatch(Future::isDone) && System.nanoTime() < deadline);
            for (Future<Integer> code : closeCodes) {
                assertEquals(1001, code.get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(BURST, Http.metric(Urls.serverRoot(base, "/metrics"), "roomcast_connections_rejected_total",
                "reason=\"draining\"") - refusedBefore);
    }
}
