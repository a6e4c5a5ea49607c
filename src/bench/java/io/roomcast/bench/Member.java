package io.roomcast.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One benchmark client on the JDK WebSocket client: joins rooms, publishes, and hands every
 * {@code message} frame to a consumer. Sends are chained, one at a time, in call order (the
 * JDK client allows one outstanding send), so one member's publishes stay in order.
 */
final class Member implements WebSocket.Listener {

    private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);

    final int node;
    private final Consumer<CharSequence> messages;
    private final Queue<CompletableFuture<Void>> pendingJoins = new ConcurrentLinkedQueue<>();
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile int errors;
    private CompletableFuture<?> sendTail = DONE;
    private StringBuilder partial;
    private volatile WebSocket socket;

    Member(int node, Consumer<CharSequence> messages) {
        this.node = node;
        this.messages = messages;
    }

    /** Opens the connection; completes when the server's {@code welcome} arrived. */
    CompletableFuture<Void> connect(HttpClient client, URI uri) {
        return client.newWebSocketBuilder().buildAsync(uri, this)
                .thenCompose(ws -> welcomed);
    }

    /** Joins {@code room}; completes on the server's {@code joined}. */
    CompletableFuture<Void> join(String room) {
        CompletableFuture<Void> joined = new CompletableFuture<>();
        pendingJoins.add(joined);
        send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        return joined;
    }

    /** Queues a text frame behind this member's earlier ones. */
    synchronized CompletableFuture<?> send(String frame) {
        sendTail = sendTail.thenCompose(previous -> socket.sendText(frame, true));
        return sendTail;
    }

    int errors() {
        return errors;
    }

    /** Ends the connection without waiting for the server's close handshake. */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last || partial != null) {
            partial = partial == null ? new StringBuilder(data) : partial.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            data = partial;
            partial = null;
        }
        dispatch(data);
        webSocket.request(1);
        return null;
    }

    private void dispatch(CharSequence frame) {
        if (startsWith(frame, "{\"type\":\"message\"")) {
            messages.accept(frame);
        } else if (startsWith(frame, "{\"type\":\"joined\"")) {
            CompletableFuture<Void> joined = pendingJoins.poll();
            if (joined != null) {
                joined.complete(null);
            }
        } else if (startsWith(frame, "{\"type\":\"welcome\"")) {
            welcomed.complete(null);
        } else if (startsWith(frame, "{\"type\":\"error\"")) {
            errors++;
            Progress.say("server error: " + frame);
        }
    }

    private static boolean startsWith(CharSequence text, String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        welcomed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
        welcomed.completeExceptionally(error);
    }
}
