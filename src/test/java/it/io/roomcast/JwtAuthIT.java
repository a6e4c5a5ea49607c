package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.RoleProbeResource;
import it.io.roomcast.support.TokenIssuer;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code roomcast.auth.mode=jwt} against tokens from a test identity provider (a JWKS served by
 * the test): the three transports, every kind of bad token, expiry while connected, the ACL,
 * the Origin allow-list and the API roles.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JwtAuthIT {

    static final String ORIGIN = "https://chat.example.com";
    static TokenIssuer issuer;

    @Deployment(testable = false)
    static WebArchive deployment() throws Exception {
        issuer = TokenIssuer.start();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("roomcast.auth.mode", "jwt");
        config.put("mp.jwt.verify.publickey.location", issuer.jwksUrl());
        config.put("mp.jwt.verify.issuer", TokenIssuer.ISSUER);
        config.put("mp.jwt.verify.audiences", TokenIssuer.AUDIENCE);
        config.put("mp.jwt.verify.clock.skew", "0");
        config.put("roomcast.allowed-origins", ORIGIN + ",https://admin.example.com");
        config.put("roomcast.acl", "team-*=staff/staff;ops:*=*/ops");
        return Deployments.roomcast("jwtauth", config).addClass(RoleProbeResource.class);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @ArquillianResource
    URL base;

    private URI ws() {
        return Urls.websocket(base);
    }

    /** Handshake headers from an allowed page (Tyrus would otherwise send an Origin of its own). */
    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token, "Origin", ORIGIN);
    }

    @Test
    void tokenInAuthorizationHeaderIdentifiesTheConnection() throws Exception {
        try (WsClient alice = WsClient.connect(ws(), bearer(issuer.token("alice")))) {
            assertEquals("alice", publishAndReadFrom(alice, "header-room"));
        }
    }

    @Test
    void tokenInCookieIdentifiesTheConnection() throws Exception {
        try (WsClient bob = WsClient.connect(ws(), Map.of("Cookie", "theme=dark; Bearer=" + issuer.token("bob"), "Origin", ORIGIN))) {
            assertEquals("bob", publishAndReadFrom(bob, "cookie-room"));
        }
    }

    @Test
    void tokenInQueryParameterIdentifiesTheConnection() throws Exception {
        URI uri = URI.create(ws() + "?access_token=" + issuer.token("carol"));
        try (WsClient carol = WsClient.connect(uri, Map.of("Origin", ORIGIN))) {
            assertEquals("carol", publishAndReadFrom(carol, "query-room"));
        }
    }

    @Test
    void fromIsTheTokenUserWhateverTheFrameSays() throws Exception {
        try (WsClient alice = WsClient.connect(ws(), bearer(issuer.token("alice")))) {
            alice.join("forge-room");
            alice.send("{\"type\":\"publish\",\"room\":\"forge-room\",\"data\":1,\"from\":\"mallory\"}");
            assertEquals("alice", alice.messages(1).get(0).getString("from"));
        }
    }

    @Test
    void everyInvalidTokenIsClosedWith1008() throws Exception {
        JwtClaims expired = TokenIssuer.claims("dave");
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 60));
        JwtClaims wrongIssuer = TokenIssuer.claims("dave");
        wrongIssuer.setIssuer("https://evil.example.com");
        JwtClaims wrongAudience = TokenIssuer.claims("dave");
        wrongAudience.setAudience("another-app");
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        cases.put("expired", bearer(issuer.sign(expired)));
        cases.put("wrong issuer", bearer(issuer.sign(wrongIssuer)));
        cases.put("wrong audience", bearer(issuer.sign(wrongAudience)));
        cases.put("bad signature", bearer(issuer.forge(TokenIssuer.claims("dave"))));
        cases.put("not a JWT", bearer("not-a-token"));
        cases.put("missing", Map.of("Origin", ORIGIN));
        for (Map.Entry<String, Map<String, String>> c : cases.entrySet()) {
            try (WsClient client = WsClient.connectRaw(ws(), WsClient.withHeaders(c.getValue()))) {
                CloseReason reason = client.awaitClose();
                assertEquals(1008, reason.getCloseCode().getCode(), c.getKey() + ": " + reason);
                assertEquals("Authentication required or failed", reason.getReasonPhrase(), c.getKey());
                assertTrue(client.drainReceived().isEmpty(), c.getKey() + ": a refused client got frames");
            }
        }
    }

    @Test
    void connectionIsClosedWith1008WhenItsTokenExpires() throws Exception {
        JwtClaims shortLived = TokenIssuer.claims("erin");
        shortLived.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 2));
        try (WsClient erin = WsClient.connect(ws(), bearer(issuer.sign(shortLived)))) {
            CloseReason reason = erin.awaitClose();
            assertEquals(1008, reason.getCloseCode().getCode());
            assertEquals("Token expired", reason.getReasonPhrase());
        }
    }

    @Test
    void aclDecidesJoinAndPublishByGroup() throws Exception {
        try (WsClient staff = WsClient.connect(ws(), bearer(issuer.token("sam", "staff")));
                WsClient guest = WsClient.connect(ws(), bearer(issuer.token("gus")));
                WsClient ops = WsClient.connect(ws(), bearer(issuer.token("olga", "ops")))) {
            staff.join("team-red");
            assertError(guest.request("{\"type\":\"join\",\"room\":\"team-red\",\"ref\":\"g1\"}"), "forbidden");
            guest.join("ops:alerts");
            assertError(guest.request("{\"type\":\"publish\",\"room\":\"ops:alerts\",\"data\":1,\"ref\":\"g2\"}"),
                    "forbidden");
            ops.join("ops:alerts");
            ops.send("{\"type\":\"publish\",\"room\":\"ops:alerts\",\"data\":\"disk full\"}");
            assertEquals("olga", guest.messages(1).get(0).getString("from"));
            guest.join("lobby"); // no rule matches: open to anyone authenticated
        }
    }

    @Test
    void originOutsideTheAllowListIsClosedWith1008() throws Exception {
        String token = issuer.token("alice");
        try (RawWebSocket evil = RawWebSocket.connect(ws(), null,
                Map.of("Origin", "https://evil.example.com", "Authorization", "Bearer " + token))) {
            RawWebSocket.Frame close = evil.readCloseFrame();
            assertEquals(1008, close.closeCode());
            assertEquals("Origin not allowed", close.closeReason());
        }
        try (WsClient allowed = WsClient.connect(ws(), bearer(token))) {
            assertEquals("welcome", allowed.welcome().getString("type"));
        }
    }

    @Test
    void apiAnswers401And403AsJsonAndLetsTheRightRoleThrough() throws Exception {
        URI admin = Urls.app(base, "/api/probe/admin");
        URI publish = Urls.app(base, "/api/probe/publish");
        assertJsonError(Http.get(admin), 401, "unauthorized");
        assertJsonError(Http.get(admin, bearer("garbage")), 401, "unauthorized");
        assertJsonError(Http.get(admin, bearer(issuer.token("sam", "staff"))), 403, "forbidden");
        assertEquals(200, Http.get(admin, bearer(issuer.token("root", "roomcast-admin"))).statusCode());
        assertJsonError(Http.postJson(publish, "{}", bearer(issuer.token("sam", "staff"))), 403, "forbidden");
        assertEquals(200, Http.postJson(publish, "{}", bearer(issuer.token("pat", "roomcast-publisher"))).statusCode());
        assertEquals(200, Http.postJson(publish, "{}", bearer(issuer.token("root", "roomcast-admin"))).statusCode());
    }

    static void assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals(code, body.getString("code"));
        assertTrue(!body.getString("message").isBlank());
    }

    private static String publishAndReadFrom(WsClient client, String room) throws Exception {
        client.join(room);
        client.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":{\"n\":1}}");
        return client.messages(1).get(0).getString("from");
    }

    private static void assertError(JsonObject frame, String code) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
    }
}
