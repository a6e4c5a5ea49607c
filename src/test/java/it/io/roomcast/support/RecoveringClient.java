package it.io.roomcast.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;

/**
 * A client with the contract's recovery logic (PROTOCOL.md section 7), as an application
 * would write it: it keeps each room's epoch and last offset, and on every reconnect (to the
 * next node of its list, after a close of any kind or a silence longer than its heartbeat) it
 * rejoins each room with {@code since}. It records what each rejoin answered and every message
 * it receives, so a test can assert "every message exactly once, in offset order".
 */
public final class RecoveringClient implements AutoCloseable {

    /** How long a test waits for a reconnect plus the recovery after it. */
    public static final Duration WAIT = Duration.ofSeconds(30);
    private static final ClientManager CLIENTS = clients();
    private static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(4, r -> {
        Thread thread = new Thread(r, "recovering-client");
        thread.setDaemon(true);
        return thread;
    });
    private static final int MAX_BACKOFF_MS = 500;

    private final List<URI> nodes;
    private final Duration heartbeat;
    private final Map<String, RoomLog> rooms = new LinkedHashMap<>();
    private final List<String> welcomedBy = new ArrayList<>();
    private final List<CloseReason> closes = new ArrayList<>();
    private final List<JsonObject> errors = new ArrayList<>();
    private Session session;
    /** Numbers connection attempts; only the latest one's frames count. */
    private int generation;
    private int attempt;
    private long lastFrameNanos;
    private boolean pinged;
    private boolean closed;
    private volatile ScheduledFuture<?> heartbeatTask;

    private RecoveringClient(List<URI> nodes, Duration heartbeat, List<String> rooms) {
        this.nodes = List.copyOf(nodes);
        this.heartbeat = heartbeat;
        rooms.forEach(room -> this.rooms.put(room, new RoomLog(room)));
    }

    private static ClientManager clients() {
        ClientManager client = WsClient.sharedClient();
        // A handshake into a dead network path must fail soon, so the next attempt can start.
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, 10_000);
        return client;
    }

    /**
     * Connects to the first of {@code nodes} and joins {@code rooms}; returns once every room
     * is joined. {@code heartbeat} (zero: none) is the silence after which it pings, and after
     * twice that it gives the connection up and reconnects.
     */
    public static RecoveringClient connect(List<URI> nodes, Duration heartbeat, String... rooms) throws Exception {
        RecoveringClient client = new RecoveringClient(nodes, heartbeat, List.of(rooms));
        client.open();
        client.await(c -> c.rooms.values().stream().allMatch(RoomLog::joined), WsClient.WAIT, "joined " + List.of(rooms));
        if (!heartbeat.isZero()) {
            long period = heartbeat.toMillis() / 4;
            client.heartbeatTask = TIMERS.scheduleAtFixedRate(client::checkHeartbeat, period, period, TimeUnit.MILLISECONDS);
        }
        return client;
    }

    /**
     * A new attempt to the next node; on failure tries again later. A handshake that times out
     * here may still complete later: its connection then belongs to an old attempt and is closed.
     */
    private void open() {
        URI node;
        int gen;
        synchronized (this) {
            if (closed) {
                return;
            }
            gen = ++generation;
            session = null;
            node = nodes.get(attempt++ % nodes.size());
        }
        try {
            CLIENTS.connectToServer(endpoint(gen), ClientEndpointConfig.Builder.create().build(), node);
        } catch (Exception refusedOrTimedOut) {
            onLost(gen, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(refusedOrTimedOut)));
        }
    }

    private Endpoint endpoint(int gen) {
        return new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.setMaxTextMessageBufferSize(4 * 1024 * 1024);
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onFrame(gen, s, text));
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                onLost(gen, reason);
            }

            @Override
            public void onError(Session s, Throwable error) {
                onLost(gen, new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, String.valueOf(error)));
                TIMERS.execute(() -> closeQuietly(s)); // given up: it must not linger half open
            }
        };
    }

    private synchronized void onFrame(int gen, Session s, String text) {
        if (gen != generation || closed) {
            // A connection already given up, or an attempt that completed too late: not trusted.
            TIMERS.execute(() -> closeQuietly(s));
            return;
        }
        lastFrameNanos = System.nanoTime();
        pinged = false;
        JsonObject frame = Json.createReader(new StringReader(text)).readObject();
        switch (frame.getString("type", "")) {
            case "welcome" -> {
                session = s;
                welcomedBy.add(frame.getString("node"));
                rooms.values().forEach(room -> s.getAsyncRemote().sendText(room.joinFrame()));
            }
            case "joined" -> rooms.get(frame.getString("room")).onJoined(frame);
            case "message" -> rooms.get(frame.getString("room")).onMessage(frame);
            case "error" -> errors.add(frame);
            default -> {
                // pong and anything newer: proof of life only
            }
        }
        notifyAll();
    }

    private void onLost(int gen, CloseReason reason) {
        synchronized (this) {
            if (gen != generation || closed) {
                return;
            }
            closes.add(reason);
            generation++; // whatever that connection still says is ignored
            session = null;
            notifyAll();
        }
        // Full jitter under a small cap: a hundred clients of one node do not return in one wave.
        long delay = ThreadLocalRandom.current().nextLong(50, MAX_BACKOFF_MS);
        TIMERS.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    /** Pings after one heartbeat of silence; gives the connection up after two. */
    private void checkHeartbeat() {
        Session silent;
        int gen;
        synchronized (this) {
            if (closed || session == null) {
                return;
            }
            long quietNanos = System.nanoTime() - lastFrameNanos;
            if (quietNanos < heartbeat.toNanos()) {
                return;
            }
            if (quietNanos < 2 * heartbeat.toNanos()) {
                if (!pinged) {
                    pinged = true;
                    session.getAsyncRemote().sendText("{\"type\":\"ping\"}");
                }
                return;
            }
            silent = session;
            gen = generation;
        }
        onLost(gen, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "heartbeat timeout"));
        // Its close frame goes into the same dead path; nobody waits for it.
        TIMERS.execute(() -> closeQuietly(silent));
    }

    /** Waits until {@code condition} holds for this client; fails with its state after {@code timeout}. */
    public synchronized void await(Predicate<RecoveringClient> condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not " + what + " within " + timeout + ": " + this);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits until {@code room} has {@code count} messages; returns its log. */
    public RoomLog awaitMessages(String room, int count, Duration timeout) throws InterruptedException {
        await(c -> c.messageCount(room) >= count, timeout, count + " messages in " + room);
        return room(room);
    }

    /** How many messages {@code room} received (cheap: no copy, for wait conditions). */
    public synchronized int messageCount(String room) {
        return rooms.get(room).messageCount();
    }

    /** How many rejoins {@code room} had (cheap: no copy, for wait conditions). */
    public synchronized int rejoinCount(String room) {
        return rooms.get(room).rejoinCount();
    }

    /** The node that welcomed the current (or last) connection, or null before any. */
    public synchronized String lastNode() {
        return welcomedBy.isEmpty() ? null : welcomedBy.get(welcomedBy.size() - 1);
    }

    /** A copy of what this client knows of {@code room}. */
    public synchronized RoomLog room(String room) {
        return rooms.get(room).copy();
    }

    /** Why each connection ended, in order. */
    public synchronized List<CloseReason> closes() {
        return List.copyOf(closes);
    }

    /** True while a connection is open and welcomed. */
    public synchronized boolean connected() {
        return session != null;
    }

    @Override
    public synchronized String toString() {
        return "RecoveringClient{welcomed by " + welcomedBy + ", closes " + closes.stream()
                .map(c -> c.getCloseCode().getCode() + " " + c.getReasonPhrase()).toList() + ", errors " + errors
                + ", rooms " + rooms.values() + "}";
    }

    @Override
    public void close() {
        Session last;
        synchronized (this) {
            closed = true;
            last = session;
            notifyAll();
        }
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
        }
        if (last != null) {
            closeQuietly(last);
        }
    }

    private static void closeQuietly(Session s) {
        try {
            s.close();
        } catch (Exception alreadyGone) {
            // the server or the network ended it first
        }
    }
}
