package io.roomcast.admin;

import io.roomcast.api.ErrorResponses;
import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends an admin action to the node it concerns, over that node's own HTTP API. Behind a load
 * balancer the console cannot choose the node that answers, so the answering node forwards:
 * to its own loopback address for itself, to the advertised URL ({@code url} in the node's
 * stats, from {@code roomcast.advertised-url}) for the others.
 *
 * <p>Only the caller's {@code Authorization} and {@code Cookie} headers travel with it, so the
 * target node checks the same credentials itself; identity headers of proxy mode are never
 * copied (the target would trust them from a node address). Forwarded requests carry
 * {@link #FORWARDED} and are never forwarded again. Blocks the request thread for at most
 * {@link #TIMEOUT}.
 */
@ApplicationScoped
public class NodeForwarder {

    /** Marks a forwarded request: the receiver acts only locally. */
    public static final String FORWARDED = "X-Roomcast-Forwarded";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Inject
    RoomcastConfig config;

    @Inject
    ClusterView cluster;

    /** Whether this node is {@code node}. */
    boolean isSelf(String node) {
        return config.nodeId().equals(node);
    }

    /** Base URL (with context root) at which {@code node}'s API answers; empty if unknown. */
    Optional<String> baseUrlOf(String node, HttpServletRequest request) {
        if (isSelf(node)) {
            return Optional.of(config.advertisedUrl().orElseGet(() -> request.getScheme() + "://127.0.0.1:"
                    + request.getLocalPort() + request.getContextPath()));
        }
        return cluster.nodes().stream().filter(n -> node.equals(n.getString("node", null)))
                .findFirst().map(n -> n.getString("url", null));
    }

    /** Base URLs of every other live node that advertises one. */
    List<String> otherNodeUrls() {
        return cluster.nodes().stream()
                .filter(n -> !isSelf(n.getString("node", "")))
                .map(n -> n.getString("url", null)).filter(url -> url != null).toList();
    }

    /**
     * POSTs to {@code baseUrl + path} with the caller's credentials and returns the target's
     * answer as is; {@code 502 node_unreachable} when it cannot be reached in time.
     */
    Response post(String baseUrl, String path, HttpHeaders incoming) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                .header(FORWARDED, "1").POST(HttpRequest.BodyPublishers.noBody());
        for (String name : List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.COOKIE)) {
            incoming.getRequestHeader(name).forEach(value -> request.header(name, value));
        }
        try {
            HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return Response.status(answer.statusCode()).type(MediaType.APPLICATION_JSON).entity(answer.body()).build();
        } catch (IOException | IllegalArgumentException e) {
            return ErrorResponses.of(Response.Status.BAD_GATEWAY, "node_unreachable",
                    "Could not reach " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ErrorResponses.of(Response.Status.SERVICE_UNAVAILABLE, "interrupted", "Request interrupted");
        }
    }
}
