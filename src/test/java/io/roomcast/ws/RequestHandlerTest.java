package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.presence.PresenceService;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.TestConnections;
import io.roomcast.room.TestRooms;
import io.roomcast.security.Admission;
import io.roomcast.security.Authenticator;
import io.roomcast.security.Identity;
import io.roomcast.security.RoomAccessGuard;
import io.roomcast.security.TestQuotas;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import it.io.roomcast.support.TokenIssuer;
import java.util.LinkedHashMap;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a client sees of {@link RequestHandler}, one frame at a time, without a container: the
 * welcome, each refusal as the contract's error or close code, and a publish reaching the room.
 * Sessions are stand-ins that record the frames the sender threads write and the close.
 */
class RequestHandlerTest {

    private static final long WAIT_MILLIS = 5_000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final List<Boolean> refreshes = new CopyOnWriteArrayList<>();
    private ConnectionSupport support;
    private static TokenIssuer issuer;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TokenIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }
    private RequestHandler handler;

    private void node(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("roomcast.node-id", "n1"));
        all.putAll(settings);
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(all.get(key)));
        support = new ConnectionSupport();
        support.config = config;
        support.metrics = new CountingMetrics();
        support.threads = threads();
        support.scheduler = managed(scheduler);
        support.addressQuota = TestQuotas.with(config);
        support.connections = TestConnections.with(config);
        support.rooms = TestRooms.inMemory(config, new RoomAccessGuard(config));
        support.start();
        handler = new RequestHandler();
        handler.support = support;
        handler.connections = support.connections;
        handler.rooms = support.rooms;
        handler.presence = new PresenceService(); // not started: presence is another test's concern
        handler.tokens = new TokenRefresh();
        handler.tokens.config = config;
        handler.tokens.authenticator = new Authenticator(config);
        handler.tokens.rooms = support.rooms;
        handler.tokens.metrics = support.metrics;
    }

    @AfterEach
    void stop() {
        if (support != null) {
            support.stop();
        }
        scheduler.shutdownNow();
    }

    @Test
    void anAdmittedSessionIsWelcomedWithItsIdAndTheNode() throws Exception {
        node(Map.of());
        FakeSession session = new FakeSession("s1");
        assertNotNull(handler.open(session.proxy, admitted()));
        JsonObject welcome = session.next();
        assertEquals("welcome", welcome.getString("type"));
        assertEquals("s1", welcome.getString("session"));
        assertEquals("n1", welcome.getString("node"));
    }

    @Test
    void garbageAndUnknownTypesGetTheirErrorCodesAndTheConnectionStaysUsable() throws Exception {
        node(Map.of());
        FakeSession session = new FakeSession("s1");
        ClientConnection connection = welcomed(session);

        handler.onText(connection, "not json at all");
        JsonObject garbage = session.next();
        assertEquals("bad_json", garbage.getString("code"), garbage.toString());
        assertTrue(!garbage.containsKey("ref") || garbage.isNull("ref"), "no ref could be read: " + garbage);

        handler.onText(connection, "{\"type\":\"dance\",\"ref\":\"r1\"}");
        JsonObject unknown = session.next();
        assertEquals("unknown_type", unknown.getString("code"));
        assertEquals("r1", unknown.getString("ref"), "the error answers the request's ref");

        handler.onText(connection, "{\"type\":\"ping\",\"ref\":\"r2\"}");
        JsonObject pong = session.next();
        assertEquals("pong", pong.getString("type"));
        assertEquals("r2", pong.getString("ref"));
        assertTrue(session.open, "bad requests do not close the connection");
    }

    @Test
    void framesBeyondTheRateAreRefusedGarbageIncluded() throws Exception {
        node(Map.of("roomcast.rate.messages-per-second", "3"));
        FakeSession session = new FakeSession("s1");
        ClientConnection connection = welcomed(session);
        for (int i = 0; i < 3; i++) {
            handler.onText(connection, "garbage " + i);
        }
        handler.onText(connection, "{\"type\":\"ping\",\"ref\":\"over\"}");
        for (int i = 0; i < 3; i++) {
            assertEquals("bad_json", session.next().getString("code"));
        }
        JsonObject refused = session.next();
        assertEquals("rate_limited", refused.getString("code"), refused.toString());
        assertEquals("over", refused.getString("ref"));
    }

    @Test
    void aFrameAboveTheSizeLimitClosesWith1009() throws Exception {
        node(Map.of("roomcast.max-message-bytes", "1024"));
        FakeSession session = new FakeSession("s1");
        ClientConnection connection = welcomed(session);
        // Liberty reads frames up to 4x the limit whole (a larger one it drops without a close frame).
        assertEquals(4096, session.textReadLimit);
        assertEquals(4096, session.binaryReadLimit);
        assertEquals(Integer.MAX_VALUE, RequestHandler.containerReadLimit(Integer.MAX_VALUE / 2 + 1), "no overflow");
        handler.onText(connection, "{\"type\":\"ping\",\"ref\":\"" + "é".repeat(600) + "\"}"); // 1,200+ UTF-8 bytes
        assertEquals(CloseCode.TOO_BIG.code(), session.closeCode().get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    void aPublishReachesEveryMemberAndIsAcknowledgedButOnlyMembersMayPublish() throws Exception {
        node(Map.of());
        FakeSession alice = new FakeSession("alice");
        FakeSession bob = new FakeSession("bob");
        ClientConnection a = welcomed(alice);
        ClientConnection b = welcomed(bob);

        handler.onText(a, "{\"type\":\"publish\",\"room\":\"lobby\",\"data\":1,\"ref\":\"early\"}");
        JsonObject refused = alice.next();
        assertEquals("not_member", refused.getString("code"), refused.toString());

        handler.onText(a, "{\"type\":\"join\",\"room\":\"lobby\",\"ref\":\"j\"}");
        handler.onText(b, "{\"type\":\"join\",\"room\":\"lobby\"}");
        assertEquals("joined", alice.next().getString("type"));
        assertEquals("joined", bob.next().getString("type"));
        handler.onText(a, "{\"type\":\"publish\",\"room\":\"lobby\",\"data\":{\"text\":\"hi\"},\"ref\":\"p1\"}");

        JsonObject message = bob.next();
        assertEquals("message", message.getString("type"));
        assertEquals("hi", message.getJsonObject("data").getString("text"));
        assertEquals("alice", message.getString("from"), message.toString());
        List<JsonObject> own = List.of(alice.next(), alice.next());
        JsonObject ack = own.stream().filter(f -> f.getString("type").equals("ack")).findFirst().orElseThrow();
        assertEquals("p1", ack.getString("ref"));
        assertEquals(message.getString("id"), ack.getString("id"), "the ack names the message delivered");
    }

    @Test
    void refusedHandshakesAndAFullNodeCloseWithTheirCodesAndReasons() throws Exception {
        node(Map.of("roomcast.max-connections", "1"));
        FakeSession refused = new FakeSession("r");
        assertNull(handler.open(refused.proxy, Admission.refused(CloseCode.ORIGIN_NOT_ALLOWED, "127.0.0.1", "origin")));
        assertEquals(CloseCode.ORIGIN_NOT_ALLOWED.code(), refused.closeCode().get(WAIT_MILLIS, TimeUnit.MILLISECONDS));

        FakeSession first = new FakeSession("first");
        assertNotNull(handler.open(first.proxy, admitted()));
        FakeSession second = new FakeSession("second");
        assertNull(handler.open(second.proxy, admitted()));
        assertEquals(CloseCode.AT_CAPACITY.code(), second.closeCode().get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(List.of("origin", "capacity"), rejections);
    }

    // --- refresh (contract section 10) ------------------------------------------------------

    private void jwtNode(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("roomcast.auth.mode", "jwt",
                "mp.jwt.verify.publickey", issuer.publicKeyPem(), "mp.jwt.verify.issuer", TokenIssuer.ISSUER,
                "mp.jwt.verify.audiences", TokenIssuer.AUDIENCE, "mp.jwt.verify.clock.skew", "0",
                "roomcast.acl", "team-*=staff/staff"));
        settings.putAll(extra);
        node(settings);
    }

    /** Opens a session admitted with {@code token} and returns its welcome. */
    private JsonObject openWith(FakeSession session, String token) throws Exception {
        Identity identity = handler.tokens.authenticator.verifyToken(token);
        assertNotNull(handler.open(session.proxy, Admission.admitted(identity, "127.0.0.1")));
        JsonObject welcome = session.next();
        assertEquals("welcome", welcome.getString("type"));
        return welcome;
    }

    private static String refresh(String token, String ref) {
        return "{\"type\":\"refresh\",\"token\":\"" + token + "\",\"ref\":\"" + ref + "\"}";
    }

    private static long expiresMillis(JwtClaims claims) throws Exception {
        return claims.getExpirationTime().getValueInMillis();
    }

    @Test
    void aRefreshMovesTheExpiryAndLeavesTheRoomsTheNewGroupsMayNotJoin() throws Exception {
        jwtNode(Map.of());
        JwtClaims staff = TokenIssuer.claims("sam", "staff");
        FakeSession session = new FakeSession("s1");
        assertEquals(expiresMillis(staff), openWith(session, issuer.sign(staff)).getJsonNumber("expires").longValue());
        ClientConnection sam = (ClientConnection) support.connections.find("s1").orElseThrow();
        handler.onText(sam, "{\"type\":\"join\",\"room\":\"team-red\"}");
        handler.onText(sam, "{\"type\":\"join\",\"room\":\"lobby\"}");
        assertEquals("joined", session.next().getString("type"));
        assertEquals("joined", session.next().getString("type"));

        JwtClaims guest = TokenIssuer.claims("sam");
        guest.setExpirationTimeMinutesInTheFuture(20);
        handler.onText(sam, refresh(issuer.sign(guest), "r1"));

        JsonObject left = session.next();
        assertEquals(Json.createObjectBuilder().add("type", "left").add("room", "team-red").add("reason", "forbidden")
                .build(), left, "the left comes before the refreshed reply");
        JsonObject refreshed = session.next();
        assertEquals("refreshed", refreshed.getString("type"), refreshed.toString());
        assertEquals(expiresMillis(guest), refreshed.getJsonNumber("expires").longValue());
        assertEquals("r1", refreshed.getString("ref"));
        assertEquals(Set.of("lobby"), support.rooms.roomsOf(sam), "rooms the new groups may join are kept");
        assertEquals(Set.of(), sam.caller().groups());
        handler.onText(sam, "{\"type\":\"join\",\"room\":\"team-red\",\"ref\":\"j\"}");
        assertEquals("forbidden", session.next().getString("code"), "the new groups decide from now on");
        assertEquals(List.of(true), refreshes);
    }

    @Test
    void aTokenThatDoesNotVerifyIsBadTokenAnotherUsersIsForbiddenAndNeitherChangesAnything() throws Exception {
        jwtNode(Map.of());
        FakeSession session = new FakeSession("s1");
        openWith(session, issuer.token("sam", "staff"));
        ClientConnection sam = (ClientConnection) support.connections.find("s1").orElseThrow();
        handler.onText(sam, "{\"type\":\"join\",\"room\":\"team-red\"}");
        assertEquals("joined", session.next().getString("type"));
        Identity before = sam.identity();

        JwtClaims expired = TokenIssuer.claims("sam");
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
        Map<String, String> badTokens = new LinkedHashMap<>();
        badTokens.put("expired", issuer.sign(expired));
        badTokens.put("alg-none", TokenIssuer.algNone(TokenIssuer.claims("sam")));
        badTokens.put("unsigned", issuer.unsigned(TokenIssuer.claims("sam")));
        badTokens.put("forged", issuer.forge(TokenIssuer.claims("sam")));
        badTokens.put("garbage", "not-a-token");
        for (Map.Entry<String, String> bad : badTokens.entrySet()) {
            handler.onText(sam, refresh(bad.getValue(), bad.getKey()));
            JsonObject error = session.next();
            assertEquals("bad_token", error.getString("code"), bad.getKey() + ": " + error);
            assertEquals(bad.getKey(), error.getString("ref"));
        }
        handler.onText(sam, refresh(issuer.token("mallory", "staff"), "other"));
        JsonObject forbidden = session.next();
        assertEquals("forbidden", forbidden.getString("code"), forbidden.toString());
        assertEquals("other", forbidden.getString("ref"));

        assertEquals(before, sam.identity(), "nothing changes");
        assertEquals(Set.of("team-red"), support.rooms.roomsOf(sam));
        assertEquals(List.of(false, false, false, false, false, false), refreshes);
    }

    @Test
    void refreshIsABadRequestWithoutTokensAndAWelcomeThenHasNoExpiry() throws Exception {
        node(Map.of());
        FakeSession session = new FakeSession("s1");
        assertNotNull(handler.open(session.proxy, admitted()));
        JsonObject welcome = session.next();
        assertTrue(!welcome.containsKey("expires"), welcome.toString());
        ClientConnection connection = (ClientConnection) support.connections.find("s1").orElseThrow();
        handler.onText(connection, refresh(issuer.token("sam"), "r"));
        JsonObject error = session.next();
        assertEquals("bad_request", error.getString("code"), error.toString());
        assertEquals("r", error.getString("ref"));
        assertEquals(List.of(), refreshes, "not a refresh attempt: not counted");
    }

    @Test
    void theWarningGoesAtOnceWhenLessThanItRemainsAndRefreshesCountAgainstTheRate() throws Exception {
        jwtNode(Map.of("roomcast.auth.refresh-warning-seconds", "120", "roomcast.rate.messages-per-second", "1"));
        JwtClaims shortLived = TokenIssuer.claims("sam");
        shortLived.setExpirationTimeMinutesInTheFuture(1);
        FakeSession session = new FakeSession("s1");
        openWith(session, issuer.sign(shortLived));
        JsonObject expiring = session.next();
        assertEquals("expiring", expiring.getString("type"), expiring.toString());
        assertEquals(expiresMillis(shortLived), expiring.getJsonNumber("expires").longValue());

        ClientConnection sam = (ClientConnection) support.connections.find("s1").orElseThrow();
        handler.onText(sam, "{\"type\":\"ping\"}");
        assertEquals("pong", session.next().getString("type"));
        handler.onText(sam, refresh(issuer.token("sam"), "flood"));
        JsonObject limited = session.next();
        assertEquals("rate_limited", limited.getString("code"), limited.toString());
        assertEquals("flood", limited.getString("ref"));
        assertEquals(List.of(), refreshes, "a refused frame never reaches the verifier");
    }

    /** Opens an admitted session and takes its welcome. */
    private ClientConnection welcomed(FakeSession session) throws InterruptedException {
        ClientConnection connection = handler.open(session.proxy, admitted());
        assertEquals("welcome", session.next().getString("type"));
        return connection;
    }

    private static Admission admitted() {
        return Admission.admitted(new Identity(Optional.empty(), Set.of(), Optional.empty()), "127.0.0.1");
    }

    /** A WebSocket session that records what the sender threads write and how it was closed. */
    private static final class FakeSession {
        final BlockingQueue<String> written = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile boolean open = true;
        /** What Liberty was told to read whole, text and binary; -1 until set. */
        volatile int textReadLimit = -1;
        volatile int binaryReadLimit = -1;
        final Session proxy;

        FakeSession(String id) {
            RemoteEndpoint.Basic remote = (RemoteEndpoint.Basic) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Basic.class}, (self, method, args) -> {
                        switch (method.getName()) {
                            case "sendText" -> written.add((String) args[0]);
                            case "sendPing" -> { }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            proxy = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (self, method, args) -> switch (method.getName()) {
                        case "getId" -> id;
                        case "isOpen" -> open;
                        case "getBasicRemote" -> remote;
                        case "setMaxTextMessageBufferSize" -> {
                            textReadLimit = (Integer) args[0];
                            yield null;
                        }
                        case "setMaxBinaryMessageBufferSize" -> {
                            binaryReadLimit = (Integer) args[0];
                            yield null;
                        }
                        case "close" -> {
                            open = false;
                            closed.complete(args == null ? 1006 : ((CloseReason) args[0]).getCloseCode().getCode());
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> "FakeSession " + id;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        JsonObject next() throws InterruptedException {
            String frame = written.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(frame, "no frame written within " + WAIT_MILLIS + " ms");
            return Json.createReader(new StringReader(frame)).readObject();
        }

        CompletableFuture<Integer> closeCode() {
            return closed;
        }
    }

    /** The metrics the handler reports, without a metric registry; refusals are recorded by reason. */
    private final class CountingMetrics extends RoomcastMetrics {
        @Override
        public void connectionRejected(String reason) {
            rejections.add(reason);
        }

        @Override
        public void frameReceived() {
        }

        @Override
        public void tokenRefreshed(boolean ok) {
            refreshes.add(ok);
        }

        @Override
        public void delivered(long acceptedAtMicros, long nowMicros) {
        }

        @Override
        public void sendThreads(java.util.function.IntSupplier liveThreads) {
        }

        @Override
        public void busPublishFailed() {
        }

        @Override
        public void recovery(boolean wasRecovered) {
        }

        @Override
        public void historyRead() {
        }

        @Override
        public void outboxOverflowed() {
        }

        @Override
        public void sendStalled() {
        }
    }

    private static ManagedThreadFactory threads() {
        return (ManagedThreadFactory) Proxy.newProxyInstance(RequestHandlerTest.class.getClassLoader(),
                new Class<?>[] {ManagedThreadFactory.class}, (self, method, args) -> {
                    if (method.getName().equals("newThread") && args[0] instanceof Runnable task) {
                        Thread thread = new Thread(task);
                        thread.setDaemon(true);
                        return thread;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The container's scheduler, as a plain one: only the ScheduledExecutorService methods are used. */
    private static ManagedScheduledExecutorService managed(ScheduledExecutorService plain) {
        return (ManagedScheduledExecutorService) Proxy.newProxyInstance(RequestHandlerTest.class.getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (self, method, args) -> {
                    try {
                        return method.invoke(plain, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
