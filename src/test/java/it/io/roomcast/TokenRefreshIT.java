package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.PacedPublisher;
import it.io.roomcast.support.TokenIssuer;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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
 * Connections that outlive their tokens (contract section 10) in mode {@code jwt}, with real
 * signed tokens that last a few seconds: a connection refreshed on every {@code expiring}
 * warning lives on without losing a message, one that stops refreshing is closed with 1008, and
 * a refresh with fewer groups leaves the rooms they no longer open.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenRefreshIT {

    /** How long each short-lived token lasts, and how long before its end the warning comes. */
    private static final int LIFETIME_SECONDS = 5;
    private static final int WARNING_SECONDS = 3;
    private static final int MESSAGES = 200;
    private static final int PER_SECOND = 20;

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
        config.put("roomcast.auth.refresh-warning-seconds", Integer.toString(WARNING_SECONDS));
        config.put("roomcast.acl", "team-*=staff/staff");
        return Deployments.roomcast("tokenrefresh", config);
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @ArquillianResource
    URL base;

    private WsClient connect(String token) throws Exception {
        URI ws = Urls.websocket(base);
        return WsClient.connect(ws, Map.of("Authorization", "Bearer " + token));
    }

    /** {@code user}'s token that expires {@link #LIFETIME_SECONDS} from now. */
    private static JwtClaims shortLived(String user, String... groups) {
        JwtClaims claims = TokenIssuer.claims(user, groups);
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + LIFETIME_SECONDS));
        return claims;
    }

    private static long expiresMillis(JwtClaims claims) throws Exception {
        return claims.getExpirationTime().getValueInMillis();
    }

    private static String refresh(String token, String ref) {
        return "{\"type\":\"refresh\",\"token\":\"" + token + "\",\"ref\":\"" + ref + "\"}";
    }

    /**
     * Alice's side: answers every {@code expiring} with a {@code refresh} of a fresh short-lived
     * token and records the messages, whatever order the frames come in.
     */
    private static final class Refresher {
        final WsClient client;
        long expires;
        int refreshed;
        boolean joined;
        final List<Integer> received = new ArrayList<>();

        Refresher(WsClient client, long expires) {
            this.client = client;
            this.expires = expires;
        }

        /** Takes the next frame; fails with the close reason if the connection ends. */
        void handleNext() throws Exception {
            JsonObject frame = client.next();
            switch (frame.getString("type")) {
                case "joined" -> joined = true;
                case "message" -> received.add(frame.getJsonObject("data").getInt("seq"));
                case "expiring" -> {
                    assertEquals(expires, frame.getJsonNumber("expires").longValue(), frame.toString());
                    JwtClaims next = shortLived("alice");
                    expires = expiresMillis(next);
                    client.send(refresh(issuer.sign(next), "r" + refreshed));
                }
                case "refreshed" -> {
                    assertEquals("r" + refreshed, frame.getString("ref"));
                    assertEquals(expires, frame.getJsonNumber("expires").longValue(), frame.toString());
                    refreshed++;
                }
                default -> throw new AssertionError("unexpected frame " + frame);
            }
        }
    }

    @Test
    void aConnectionRefreshedOnEveryWarningLivesThroughThreeTokensWithoutLosingAMessageAndThenExpires()
            throws Exception {
        JwtClaims first = shortLived("alice");
        try (WsClient alice = connect(issuer.sign(first));
                WsClient bob = connect(issuer.token("bob"))) {
            assertEquals(expiresMillis(first), alice.welcome().getJsonNumber("expires").longValue());
            Refresher refresher = new Refresher(alice, expiresMillis(first));
            alice.send("{\"type\":\"join\",\"room\":\"long-room\"}");
            while (!refresher.joined) {
                refresher.handleNext();
            }
            bob.join("long-room");
            PacedPublisher publisher = PacedPublisher.start(bob, "long-room", MESSAGES, PER_SECOND);
            while (refresher.refreshed < 3 || refresher.received.size() < MESSAGES) {
                refresher.handleNext();
            }
            publisher.acks().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(IntStream.range(0, MESSAGES).boxed().toList(), refresher.received, "every message, in order");
            assertTrue(alice.isOpen(), "one connection throughout");

            // Without a refresh, the same connection ends with its last token.
            JsonObject warning = alice.next(f -> "expiring".equals(f.getString("type")));
            assertEquals(refresher.expires, warning.getJsonNumber("expires").longValue());
            CloseReason closed = alice.awaitClose();
            assertEquals(1008, closed.getCloseCode().getCode());
            assertEquals("Token expired", closed.getReasonPhrase());
            assertTrue(System.currentTimeMillis() >= refresher.expires, "closed at expiry, not before");
        }
    }

    @Test
    void aRefreshWithFewerGroupsLeavesTheRoomsTheyNoLongerOpenAndBadTokensChangeNothing() throws Exception {
        try (WsClient sam = connect(issuer.token("sam", "staff"));
                WsClient olga = connect(issuer.token("olga", "staff"))) {
            olga.request("{\"type\":\"join\",\"room\":\"team-red\",\"presence\":true}");
            sam.join("team-red");
            sam.join("lobby");
            olga.next(f -> "presence_join".equals(f.getString("type")) && "sam".equals(f.getString("user")));

            assertError(sam.request(refresh(issuer.forge(TokenIssuer.claims("sam")), "forged")), "bad_token", "forged");
            assertError(sam.request(refresh(TokenIssuer.algNone(TokenIssuer.claims("sam")), "none")), "bad_token", "none");
            assertError(sam.request(refresh(issuer.token("mallory", "staff"), "other")), "forbidden", "other");
            sam.send("{\"type\":\"publish\",\"room\":\"team-red\",\"data\":\"still staff\"}");
            assertEquals("sam", olga.messages(1).get(0).getString("from"), "nothing changed");
            assertEquals("still staff", sam.messages(1).get(0).getString("data"));

            JwtClaims guest = TokenIssuer.claims("sam");
            sam.send(refresh(issuer.sign(guest), "fewer"));
            JsonObject left = sam.next();
            assertEquals("left", left.getString("type"), left.toString());
            assertEquals("team-red", left.getString("room"));
            assertEquals("forbidden", left.getString("reason"));
            JsonObject refreshed = sam.next();
            assertEquals("refreshed", refreshed.getString("type"), refreshed.toString());
            assertEquals("fewer", refreshed.getString("ref"));
            assertEquals(expiresMillis(guest), refreshed.getJsonNumber("expires").longValue());
            olga.next(f -> "presence_leave".equals(f.getString("type")) && "sam".equals(f.getString("user")));

            assertError(sam.request("{\"type\":\"publish\",\"room\":\"team-red\",\"data\":1,\"ref\":\"p\"}"),
                    "not_member", "p");
            assertError(sam.request("{\"type\":\"join\",\"room\":\"team-red\",\"ref\":\"j\"}"), "forbidden", "j");
            sam.send("{\"type\":\"publish\",\"room\":\"lobby\",\"data\":\"kept\"}");
            assertEquals("kept", sam.messages(1).get(0).getString("data"), "lobby stays joined");
        }
    }

    private static void assertError(JsonObject frame, String code, String ref) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
        assertEquals(ref, frame.getString("ref"), frame.toString());
    }
}
