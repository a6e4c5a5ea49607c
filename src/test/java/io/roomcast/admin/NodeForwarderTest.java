package io.roomcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.security.ClusterKey;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An admin action for whichever node has something (a session to disconnect) asks the other
 * nodes all at once: each stand-in node below answers only once every one of them was asked,
 * which asking one after another would never reach.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeForwarderTest {

    private static final int OTHER_NODES = 3;
    private static final String PATH = "/api/admin/sessions/s-1/disconnect";

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch allAsked = new CountDownLatch(OTHER_NODES);
    private final AtomicInteger askedTogether = new AtomicInteger();
    private final List<HttpServer> nodes = new ArrayList<>();
    private final List<String> keysSeen = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopNodes() {
        nodes.forEach(server -> server.stop(0));
        threads.shutdownNow();
    }

    @Test
    void theNodeThatHasItAnswersAndEveryNodeIsAskedAtOnce() throws Exception {
        NodeForwarder forwarder = forwarderTo(Set.of("node-1"));
        Optional<NodeForwarder.Answer> answer = forwarder.firstOkFromOtherNodes(PATH)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(answer.isPresent());
        assertTrue(answer.get().body().contains("\"node\":\"node-1\""), answer.get().body());
        assertTrue(allAsked.await(5, TimeUnit.SECONDS), "every node was asked");
    }

    @Test
    void nothingIsFoundOnceEveryNodeSaidNoAndTheyWereAskedTogether() throws Exception {
        NodeForwarder forwarder = forwarderTo(Set.of());
        Optional<NodeForwarder.Answer> answer = forwarder.firstOkFromOtherNodes(PATH)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertTrue(answer.isEmpty());
        assertEquals(OTHER_NODES, askedTogether.get(), "each node saw the others asked while it waited");
    }

    @Test
    void everyForwardCarriesTheClusterKey() throws Exception {
        NodeForwarder forwarder = forwarderTo(Set.of());
        forwarder.clusterKey = new ClusterKey() {
            @Override
            public Optional<String> current() {
                return Optional.of("agreed-key");
            }
        };
        forwarder.firstOkFromOtherNodes(PATH).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(List.of("agreed-key", "agreed-key", "agreed-key"), keysSeen);
    }

    @Test
    void aNodeThatCannotBeReachedIsA502NodeUnreachable() throws Exception {
        NodeForwarder forwarder = forwarderTo(Set.of());
        NodeForwarder.Answer answer = forwarder.post("http://127.0.0.1:9", PATH)
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(502, answer.status());
        assertEquals("node_unreachable", Json.createReader(new java.io.StringReader(answer.body())).readObject()
                .getString("code"));
    }

    /** A forwarder on node "self" whose cluster has {@link #OTHER_NODES} stand-ins; {@code having} answer 200. */
    private NodeForwarder forwarderTo(Set<String> having) throws IOException {
        List<JsonObject> cluster = new ArrayList<>();
        cluster.add(Json.createObjectBuilder().add("node", "self").build());
        for (int i = 0; i < OTHER_NODES; i++) {
            String node = "node-" + i;
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/api/admin/sessions/", exchange -> answer(exchange, node, having.contains(node)));
            server.start();
            nodes.add(server);
            cluster.add(Json.createObjectBuilder().add("node", node)
                    .add("url", "http://127.0.0.1:" + server.getAddress().getPort()).build());
        }
        NodeForwarder forwarder = new NodeForwarder();
        forwarder.config = new RoomcastConfig(key -> Optional.ofNullable(Map.of("roomcast.node-id", "self").get(key)));
        forwarder.cluster = () -> cluster;
        forwarder.clusterKey = new ClusterKey();
        forwarder.start(threads);
        return forwarder;
    }

    /** Waits (5 s at most) until every stand-in was asked, then answers. */
    private void answer(HttpExchange exchange, String node, boolean hasIt) throws IOException {
        keysSeen.add(String.valueOf(exchange.getRequestHeaders().getFirst(ClusterKey.HEADER)));
        allAsked.countDown();
        try {
            if (allAsked.await(5, TimeUnit.SECONDS)) {
                askedTogether.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = (hasIt ? "{\"session\":\"s-1\",\"node\":\"" + node + "\"}"
                : "{\"code\":\"not_found\",\"message\":\"not here\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(hasIt ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
