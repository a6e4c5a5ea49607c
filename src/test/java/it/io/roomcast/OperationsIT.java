package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Health;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.PromQl;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
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

/** Capacity, health and metrics (PROTOCOL.md sections 1 and 3) on one node limited to 50 connections. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsIT {

    static final int CAPACITY = 50;
    static final int STORM = 300;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("operations", Map.of("roomcast.max-connections", String.valueOf(CAPACITY)));
    }

    @ArquillianResource
    URL base;

    private URI metrics() {
        return Urls.serverRoot(base, "/metrics");
    }

    @Test
    @Order(1)
    void connectStormAdmitsExactlyTheCapacityAndClosesTheRestWith1013() throws Exception {
        double rejectedBefore = Http.metric(metrics(), "roomcast_connections_rejected_total", "reason=\"capacity\"");
        List<WsClient> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<WsClient>> connecting = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                connecting.add(pool.submit(() -> {
                    go.await();
                    return WsClient.connectRaw(Urls.websocket(base), ClientEndpointConfig.Builder.create().build());
                }));
            }
            go.countDown();
            int admitted = 0;
            int refused = 0;
            for (Future<WsClient> future : connecting) {
                WsClient client = future.get();
                clients.add(client);
                if (client.awaitWelcomeOrClose()) {
                    admitted++;
                } else {
                    CloseReason reason = client.awaitClose();
                    assertEquals(1013, reason.getCloseCode().getCode());
                    assertEquals("Server at capacity", reason.getReasonPhrase());
                    refused++;
                }
            }
            System.out.printf("connect storm: %d clients, %d admitted, %d closed with 1013%n", STORM, admitted, refused);
            assertEquals(CAPACITY, admitted);
            assertEquals(STORM - CAPACITY, refused);
            assertEquals(CAPACITY, (long) Http.metric(metrics(), "websocket_connections_total"));
            assertEquals(STORM - CAPACITY, Http.metric(metrics(), "roomcast_connections_rejected_total",
                    "reason=\"capacity\"") - rejectedBefore);
        } finally {
            pool.shutdownNow();
            for (WsClient client : clients) {
                client.close();
            }
        }
        // Every slot comes back: a full node is empty again once its clients leave.
        Http.awaitMetric(metrics(), "websocket_connections_total", n -> n == 0);
    }

    @Test
    @Order(2)
    void readinessIsDownAtCapacityAndUpAgainWhenAClientLeaves() throws Exception {
        List<WsClient> clients = new ArrayList<>();
        try {
            assertEquals("UP", readiness().getString("status"));
            for (int i = 0; i < CAPACITY; i++) {
                clients.add(WsClient.connect(Urls.websocket(base)));
            }
            JsonObject full = readiness();
            assertEquals("DOWN", full.getString("status"), full.toString());
            assertEquals("at capacity", full.getJsonObject("data").getString("reason"));
            clients.remove(0).close();
            Health.await(Urls.serverRoot(base, "/health/ready"), "UP");
        } finally {
            for (WsClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    @Order(3)
    @SuppressWarnings("try") // the client is only held open, so that the health data counts it
    void healthReportsLivenessReadinessStartupAndTheNodesState() throws Exception {
        try (WsClient client = WsClient.connect(Urls.websocket(base))) {
            for (String probe : List.of("/health/live", "/health/ready", "/health/started", "/health")) {
                JsonObject check = Health.check(Urls.serverRoot(base, probe));
                assertEquals("UP", check.getString("status"), probe + ": " + check);
                JsonObject data = check.getJsonObject("data");
                assertTrue(data.getInt("connections") >= 1, probe + " counts the open connection: " + data);
                assertEquals(CAPACITY, data.getInt("capacity"));
                assertTrue(data.getJsonNumber("uptimeSeconds").longValue() >= 0);
                assertTrue(data.getJsonNumber("heapUsedBytes").longValue() > 0);
                assertTrue(data.getJsonNumber("heapMaxBytes").longValue() >= data.getJsonNumber("heapUsedBytes").longValue());
                assertEquals("memory", data.getString("busKind"));
                assertTrue(data.getBoolean("busUp"));
                assertEquals(false, data.getBoolean("draining"));
            }
        }
    }

    @Test
    @Order(4)
    void aPublishedMessageMovesReceivedDeliveredAndLatencyAndHandshakesAreCounted() throws Exception {
        double attempts = Http.metric(metrics(), "roomcast_connection_attempts_total");
        double handshakes = Http.metric(metrics(), "roomcast_handshake_seconds_count");
        try (WsClient a = WsClient.connect(Urls.websocket(base)); WsClient b = WsClient.connect(Urls.websocket(base))) {
            a.join("metrics-room");
            b.join("metrics-room");
            double received = Http.metric(metrics(), "websocket_messages_received_total");
            double delivered = Http.metric(metrics(), "roomcast_messages_delivered_total");
            double latencyCount = Http.metric(metrics(), "websocket_message_latency_seconds_count");
            double rooms = Http.metric(metrics(), "roomcast_rooms");

            a.send("{\"type\":\"publish\",\"room\":\"metrics-room\",\"data\":1}");
            a.messages(1);
            b.messages(1);

            assertEquals(1, Http.metric(metrics(), "websocket_messages_received_total") - received);
            assertEquals(2, Http.metric(metrics(), "roomcast_messages_delivered_total") - delivered);
            assertEquals(2, Http.metric(metrics(), "websocket_message_latency_seconds_count") - latencyCount);
            assertTrue(rooms >= 1);
            assertTrue(Http.metric(metrics(), "websocket_message_latency_seconds_bucket", "le=\"0.001\"") >= 0);
            assertTrue(Http.metric(metrics(), "websocket_message_latency_seconds_bucket", "le=\"0.5\"") >= 2);
        }
        assertEquals(2, Http.metric(metrics(), "roomcast_connection_attempts_total") - attempts);
        assertEquals(2, Http.metric(metrics(), "roomcast_handshake_seconds_count") - handshakes);
        for (String name : List.of("roomcast_handshake_failures_total", "roomcast_outbox_overflows_total",
                "roomcast_bus_publish_failures_total", "roomcast_connections_capacity")) {
            Http.metric(metrics(), name);
        }
    }

    @Test
    @Order(5)
    void dashboardPanelsUseOnlyMetricsThisNodeExports() throws Exception {
        JsonObject dashboard;
        try (var in = Files.newBufferedReader(Path.of("src/main/grafana/roomcast-dashboard.json"))) {
            dashboard = Json.createReader(in).readObject();
        }
        Set<String> used = new TreeSet<>();
        for (JsonObject panel : dashboard.getJsonArray("panels").getValuesAs(JsonObject.class)) {
            for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
                used.addAll(PromQl.metricNames(target.getString("expr")));
            }
        }
        assertTrue(used.containsAll(List.of("websocket_connections_total", "websocket_messages_received_total",
                "websocket_message_latency_seconds_bucket")), "the contract's metrics are on the dashboard: " + used);
        String exported = Http.get(metrics()).body();
        for (String name : used) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(exported).find(),
                    "dashboard uses " + name + ", which /metrics does not export");
        }
    }

    private JsonObject readiness() throws Exception {
        return Health.check(Urls.serverRoot(base, "/health/ready"));
    }
}
