package io.roomcast.admin;

import io.roomcast.api.ErrorResponses;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.security.ClusterKey;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sends an admin action to the node it concerns, over that node's own HTTP API. Behind a load
 * balancer the console cannot choose the node that answers, so the answering node forwards:
 * to its own loopback address for itself, to the advertised URL ({@code url} in the node's
 * stats, from {@code roomcast.advertised-url}) for the others.
 *
 * <p>The answering node has checked the caller's admin rights; the request it forwards carries
 * the cluster key ({@link ClusterKey}) instead of the caller's credentials, so it works in every
 * mode: in mode {@code proxy} nothing stands between the nodes to add identity headers, and in
 * mode {@code none} the target may be on another machine. Forwarded requests carry
 * {@link #FORWARDED} and are never forwarded again. Asynchronous: no request thread waits for
 * the other node, and each forward ends within {@link #TIMEOUT}.
 */
@ApplicationScoped
public class NodeForwarder {

    /** Marks a forwarded request: the receiver acts only locally. */
    public static final String FORWARDED = "X-Roomcast-Forwarded";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    RoomcastConfig config;

    /** Runs the HTTP client's work and completions on managed threads. */
    @Resource
    ManagedExecutorService executor;

    private HttpClient http;

    @PostConstruct
    void start() {
        start(executor);
    }

    /** Builds the HTTP client on {@code threads}; unit tests pass their own. */
    void start(Executor threads) {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).executor(threads).build();
    }

    @Inject
    ClusterView cluster;

    @Inject
    ClusterKey clusterKey;

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

    /** Another node's answer, passed on as is. */
    record Answer(int status, String body) {

        boolean isOk() {
            return status == Response.Status.OK.getStatusCode();
        }

        Response toResponse() {
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
        }
    }

    /**
     * POSTs to {@code baseUrl + path} with the cluster key; completes with the target's
     * answer, or {@code 502 node_unreachable} when it cannot be reached in time. Never fails.
     */
    CompletionStage<Answer> post(String baseUrl, String path) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                    .header(FORWARDED, "1").POST(HttpRequest.BodyPublishers.noBody());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(unreachable(baseUrl, e));
        }
        clusterKey.current().ifPresent(key -> request.header(ClusterKey.HEADER, key));
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).handle((answer, failure) ->
                failure == null ? new Answer(answer.statusCode(), answer.body()) : unreachable(baseUrl, failure));
    }

    /**
     * POSTs to every other live node at once; completes with the first {@code 200} answer, or
     * empty once every node answered otherwise (each within {@link #TIMEOUT}). Never fails.
     */
    CompletionStage<Optional<Answer>> firstOkFromOtherNodes(String path) {
        CompletableFuture<Optional<Answer>> found = new CompletableFuture<>();
        CompletableFuture<?>[] asks = otherNodeUrls().stream()
                .map(url -> post(url, path).thenAccept(answer -> {
                    if (answer.isOk()) {
                        found.complete(Optional.of(answer));
                    }
                }).toCompletableFuture())
                .toArray(CompletableFuture<?>[]::new);
        CompletableFuture.allOf(asks).whenComplete((done, failure) -> found.complete(Optional.empty()));
        return found;
    }

    private static Answer unreachable(String baseUrl, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new Answer(Response.Status.BAD_GATEWAY.getStatusCode(),
                ErrorResponses.body("node_unreachable", "Could not reach " + baseUrl + ": " + cause));
    }
}
