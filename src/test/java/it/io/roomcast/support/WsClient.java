package it.io.roomcast.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.SslEngineConfigurator;

/**
 * A real WebSocket client for the integration tests (Tyrus). Keeps every received frame in
 * order and waits for frames or for the close with timeouts, never with sleeps.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final ClientManager CLIENTS = sharedClient();

    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final Session session;
    private JsonObject welcome;

    private WsClient(ClientManager clients, URI uri, ClientEndpointConfig config) throws Exception {
        this.session = clients.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig c) {
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text ->
                        frames.add(Json.createReader(new StringReader(text)).readObject()));
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }

            @Override
            public void onError(Session s, Throwable error) {
                closed.complete(new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(error)));
            }
        }, config, uri);
        try {
            session.setMaxTextMessageBufferSize(4 * 1024 * 1024);
        } catch (IllegalStateException closedAlready) {
            // The server closed it at once (e.g. 1013): nothing left to configure.
        }
    }

    /** One Grizzly transport for every test connection, so hundreds of clients stay cheap. */
    static ClientManager sharedClient() {
        ClientManager client = ClientManager.createClient();
        client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        // Tyrus stops an idle shared transport after 30 s by default, and a connect racing that
        // stop fails inside Grizzly (a null connection). Keep it for the whole test run.
        client.getProperties().put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, 3600);
        return client;
    }

    /** Connects and waits for the {@code welcome} frame. */
    public static WsClient connect(URI uri) throws Exception {
        return connect(uri, Map.of());
    }

    /** Connects with extra handshake headers (Authorization, Cookie, Origin...) and waits for {@code welcome}. */
    public static WsClient connect(URI uri, Map<String, String> headers) throws Exception {
        return connectRaw(uri, withHeaders(headers)).awaitWelcome();
    }

    /**
     * Connects over TLS ({@code wss://}) trusting what {@code tls} trusts (host name checked),
     * and waits for {@code welcome}. A transport of its own: the shared one has no TLS.
     */
    public static WsClient connect(URI uri, SSLContext tls) throws Exception {
        ClientManager clients = ClientManager.createClient();
        clients.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR, new SslEngineConfigurator(tls, true, false, false));
        return new WsClient(clients, uri, withHeaders(Map.of())).awaitWelcome();
    }

    private WsClient awaitWelcome() throws Exception {
        welcome = next();
        if (!"welcome".equals(welcome.getString("type"))) {
            throw new AssertionError("first frame was not welcome: " + welcome);
        }
        return this;
    }

    /** A handshake configuration that adds {@code headers} to the upgrade request. */
    public static ClientEndpointConfig withHeaders(Map<String, String> headers) {
        return ClientEndpointConfig.Builder.create().configurator(new ClientEndpointConfig.Configurator() {
            @Override
            public void beforeRequest(Map<String, List<String>> request) {
                headers.forEach((name, value) -> request.put(name, List.of(value)));
            }
        }).build();
    }

    /** Connects without waiting for anything (e.g. to see a refusal). */
    public static WsClient connectRaw(URI uri, ClientEndpointConfig config) throws Exception {
        return new WsClient(CLIENTS, uri, config);
    }

    /**
     * Waits for the {@code welcome} or the close, whichever comes first (after
     * {@link #connectRaw}); true when welcomed, false when closed first.
     */
    public boolean awaitWelcomeOrClose() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                welcome = frame;
                return true;
            }
            if (closed.isDone()) {
                return false;
            }
        }
        throw new AssertionError("neither welcome nor close within " + WAIT);
    }

    public JsonObject welcome() {
        return welcome;
    }

    public String sessionId() {
        return welcome.getString("session");
    }

    public void send(String text) throws Exception {
        session.getBasicRemote().sendText(text);
    }

    public void sendBinary(byte[] bytes) throws Exception {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
    }

    /** Sends a frame and returns the next frame received. */
    public JsonObject request(String text) throws Exception {
        send(text);
        return next();
    }

    public JsonObject join(String room) throws Exception {
        JsonObject reply = request("{\"type\":\"join\",\"room\":\"" + room + "\"}");
        if (!"joined".equals(reply.getString("type"))) {
            throw new AssertionError("join " + room + " answered " + reply);
        }
        return reply;
    }

    /** The next frame; fails the test after {@link #WAIT}. */
    public JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? "; closed: " + closed.join() : ""));
        }
        return frame;
    }

    /** The next frame matching {@code wanted}, skipping others. */
    public JsonObject next(Predicate<JsonObject> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && wanted.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame within " + WAIT);
    }

    /** The next {@code count} frames of type {@code message}, in arrival order. */
    public List<JsonObject> messages(int count) throws InterruptedException {
        List<JsonObject> result = new ArrayList<>(count);
        while (result.size() < count) {
            result.add(next(f -> "message".equals(f.getString("type"))));
        }
        return result;
    }

    /**
     * Publishes {@code count} messages to {@code room}, {@code data} 0 to count-1, each with a
     * {@code ref}, and returns once every one is acknowledged, i.e. accepted for delivery. Other
     * frames received meanwhile (this client's own copies) are dropped: use a client that only publishes.
     */
    public void publishAcknowledged(String room, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":" + i + ",\"ref\":\"m" + i + "\"}");
        }
        for (int i = 0; i < count; i++) {
            String ref = "m" + i;
            next(f -> "ack".equals(f.getString("type")) && ref.equals(f.getString("ref")));
        }
    }

    /**
     * Publishes {@code count} messages {@code {"seq":i,"pad":pad}} to {@code room}, each only
     * after {@code reader} received the previous one, and fails unless they arrive in order:
     * the reader never has more than one frame waiting, so only members that stop reading fall behind.
     */
    public void publishInLockStep(WsClient reader, String room, int count, String pad) throws Exception {
        for (int i = 0; i < count; i++) {
            send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":{\"seq\":" + i + ",\"pad\":\"" + pad + "\"}}");
            int seq = reader.messages(1).get(0).getJsonObject("data").getInt("seq");
            if (seq != i) {
                throw new AssertionError("the reader got message " + seq + " where " + i + " was due");
            }
        }
    }

    /** Frames received and not yet taken. */
    public List<JsonObject> drainReceived() {
        List<JsonObject> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    /** Waits for the server to close the connection and returns why. */
    public CloseReason awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return session.isOpen() && !closed.isDone();
    }

    @Override
    public void close() throws IOException {
        if (session.isOpen()) {
            session.close();
        }
    }
}
