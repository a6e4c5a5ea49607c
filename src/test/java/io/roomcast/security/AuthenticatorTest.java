package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import it.io.roomcast.support.TokenIssuer;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    static TokenIssuer issuer;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TokenIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    private static Authenticator authenticator(Map<String, String> values) {
        Authenticator authenticator = new Authenticator();
        authenticator.config = new RoomcastConfig(key -> Optional.ofNullable(values.get(key)));
        authenticator.start();
        return authenticator;
    }

    private static Authenticator jwt(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("roomcast.auth.mode", "jwt",
                "mp.jwt.verify.publickey.location", issuer.jwksUrl(), "mp.jwt.verify.issuer", TokenIssuer.ISSUER,
                "mp.jwt.verify.audiences", "other," + TokenIssuer.AUDIENCE));
        values.putAll(extra);
        return authenticator(values);
    }

    private static FakeRequest withToken(String token) {
        return FakeRequest.from("127.0.0.1", Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void validTokenGivesUserGroupsAndExpiryPlusSkew() throws Exception {
        JwtClaims claims = TokenIssuer.claims("alice", "staff", "ops");
        Identity identity = jwt(Map.of()).authenticate(withToken(issuer.sign(claims)));
        assertEquals(Optional.of("alice"), identity.name());
        assertEquals(Set.of("staff", "ops"), identity.groups());
        assertEquals(Instant.ofEpochSecond(claims.getExpirationTime().getValue() + 60), identity.validUntil().orElseThrow());
    }

    @Test
    void userNameFallsBackFromUpnToPreferredUsernameToSub() throws Exception {
        JwtClaims claims = TokenIssuer.claims("ignored");
        claims.unsetClaim("upn");
        claims.setClaim("preferred_username", "pref");
        claims.setSubject("subject-1");
        assertEquals("pref", jwt(Map.of()).authenticate(withToken(issuer.sign(claims))).name().orElseThrow());
        claims.unsetClaim("preferred_username");
        assertEquals("subject-1", jwt(Map.of()).authenticate(withToken(issuer.sign(claims))).name().orElseThrow());
        claims.unsetClaim("sub");
        assertRefused(jwt(Map.of()), withToken(issuer.sign(claims)), "Token names no user (upn, preferred_username or sub)");
    }

    @Test
    void eachBadTokenIsRefusedWithItsReason() throws Exception {
        Authenticator authenticator = jwt(Map.of("mp.jwt.verify.clock.skew", "0"));
        JwtClaims expired = TokenIssuer.claims("a");
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 1));
        assertRefused(authenticator, withToken(issuer.sign(expired)), "Token expired");
        JwtClaims wrongIssuer = TokenIssuer.claims("a");
        wrongIssuer.setIssuer("https://elsewhere");
        assertRefused(authenticator, withToken(issuer.sign(wrongIssuer)), "Token issuer not accepted");
        JwtClaims wrongAudience = TokenIssuer.claims("a");
        wrongAudience.setAudience("someone-else");
        assertRefused(authenticator, withToken(issuer.sign(wrongAudience)), "Token audience not accepted");
        assertRefused(authenticator, withToken(issuer.forge(TokenIssuer.claims("a"))), "Token signature not valid");
        JwtClaims noExpiry = TokenIssuer.claims("a");
        noExpiry.unsetClaim("exp");
        assertRefused(authenticator, withToken(issuer.sign(noExpiry)), "Token not valid");
        assertRefused(authenticator, withToken("a.b.c"), "Token not valid");
    }

    @Test
    void unsignedTokenIsRefused() throws Exception {
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(TokenIssuer.claims("a").toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertRefused(jwt(Map.of()), withToken("eyJhbGciOiJub25lIn0." + payload + "."), "Token not valid");
    }

    @Test
    void tokenIsTakenFromHeaderThenCookieThenQueryParameter() throws Exception {
        Authenticator authenticator = jwt(Map.of("mp.jwt.token.cookie", "sso"));
        String alice = issuer.token("alice");
        String bob = issuer.token("bob");
        FakeRequest both = new FakeRequest(Map.of("Authorization", "Bearer " + alice), Map.of("sso", bob),
                Map.of("access_token", bob), "127.0.0.1");
        assertEquals("alice", authenticator.authenticate(both).name().orElseThrow());
        FakeRequest cookieAndQuery = new FakeRequest(Map.of(), Map.of("sso", bob), Map.of("access_token", alice), "127.0.0.1");
        assertEquals("bob", authenticator.authenticate(cookieAndQuery).name().orElseThrow());
        FakeRequest query = new FakeRequest(Map.of(), Map.of(), Map.of("access_token", alice), "127.0.0.1");
        assertEquals("alice", authenticator.authenticate(query).name().orElseThrow());
    }

    @Test
    void queryParameterCanBeTurnedOff() {
        FakeRequest query = new FakeRequest(Map.of(), Map.of(), Map.of("access_token", "x"), "127.0.0.1");
        NotAuthenticatedException e = assertThrows(NotAuthenticatedException.class,
                () -> jwt(Map.of("roomcast.auth.query-param", "")).authenticate(query));
        assertTrue(e.getMessage().startsWith("No token"), e.getMessage());
    }

    @Test
    void inlinePemKeyVerifiesTokens() throws Exception {
        Authenticator authenticator = authenticator(Map.of("roomcast.auth.mode", "jwt",
                "mp.jwt.verify.publickey", issuer.publicKeyPem(), "mp.jwt.verify.issuer", TokenIssuer.ISSUER));
        assertEquals("alice", authenticator.authenticate(withToken(issuer.token("alice"))).name().orElseThrow());
    }

    @Test
    void proxyHeadersAreBelievedOnlyFromTrustedPeers() throws Exception {
        Authenticator proxy = authenticator(Map.of("roomcast.auth.mode", "proxy", "roomcast.auth.trusted-proxies", "10.0.0.0/8"));
        Map<String, String> headers = Map.of("X-Forwarded-User", " alice ", "X-Forwarded-Groups", "staff, ops,,");
        Identity identity = proxy.authenticate(FakeRequest.from("10.1.2.3", headers));
        assertEquals(Optional.of("alice"), identity.name());
        assertEquals(Set.of("staff", "ops"), identity.groups());
        assertRefused(proxy, FakeRequest.from("127.0.0.1", headers), "Not from a trusted proxy");
        assertRefused(proxy, FakeRequest.from("10.1.2.3", Map.of("X-Forwarded-Groups", "staff")),
                "The proxy sent no X-Forwarded-User header");
    }

    @Test
    void clientAddressFollowsForwardedForOnlyThroughTrustedHops() {
        Authenticator authenticator = authenticator(Map.of("roomcast.auth.trusted-proxies", "127.0.0.1,10.0.0.0/8"));
        assertEquals("203.0.113.7", authenticator.clientAddress(FakeRequest.from("127.0.0.1",
                Map.of("X-Forwarded-For", "1.1.1.1, 203.0.113.7, 10.0.0.5"))), "right-most untrusted hop");
        assertEquals("127.0.0.2", authenticator.clientAddress(FakeRequest.from("127.0.0.2",
                Map.of("X-Forwarded-For", "1.1.1.1"))), "an untrusted peer cannot choose its address");
        assertEquals("10.0.0.5", authenticator.clientAddress(FakeRequest.from("127.0.0.1",
                Map.of("X-Forwarded-For", "not-an-ip, 10.0.0.5"))), "garbage stops the walk");
        assertEquals("127.0.0.1", authenticator.clientAddress(FakeRequest.from("127.0.0.1", Map.of())));
    }

    @Test
    void noneModeIsAnonymous() throws Exception {
        assertTrue(authenticator(Map.of()).authenticate(FakeRequest.from("1.2.3.4", Map.of())).isAnonymous());
    }

    private static void assertRefused(Authenticator authenticator, CallerRequest request, String reason) {
        assertEquals(reason, assertThrows(NotAuthenticatedException.class, () -> authenticator.authenticate(request))
                .getMessage());
    }
}
