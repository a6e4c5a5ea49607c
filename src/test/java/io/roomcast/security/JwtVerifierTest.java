package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.JwtSettings;
import it.io.roomcast.support.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token verification as a client's handshake meets it: which tokens pass, with which identity,
 * and the reason given for each refusal. (The cache of verified tokens is not looked at here.)
 */
class JwtVerifierTest {

    /** roomcast.max-connections of the verifiers under test: sizes their cache only. */
    private static final int MAX_CONNECTIONS = 100;

    static TokenIssuer issuer;

    @BeforeAll
    static void startIssuer() throws Exception {
        issuer = TokenIssuer.start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @Test
    void theTokensSubjectAndSignOnSessionAreKeptForLogout() throws Exception {
        JwtClaims claims = TokenIssuer.claims("alice");
        claims.setSubject("f81d4fae-7dec");
        claims.setClaim("sid", "sso-session-1");
        JwtVerifier verifier = verifier(pem(), Duration.ofSeconds(60));

        Identity identity = verifier.verify(issuer.sign(claims));

        assertEquals(new Identity.SignOn(Optional.of("f81d4fae-7dec"), Optional.of("sso-session-1")), identity.signOn());
        assertEquals(Instant.ofEpochSecond(claims.getExpirationTime().getValue()), identity.expires().orElseThrow(),
                "expires is exp itself, without the skew");
        assertEquals(Identity.SignOn.NONE, verifier.verify(issuer.token("bob")).signOn(), "no sub, no sid");
    }

    @Test
    void aValidTokenGivesItsUserGroupsAndExpiryPlusTheClockSkew() throws Exception {
        JwtClaims claims = TokenIssuer.claims("alice", "staff", "ops");

        Identity identity = verifier(pem(), Duration.ofSeconds(60)).verify(issuer.sign(claims));

        assertEquals(Optional.of("alice"), identity.name());
        assertEquals(Set.of("staff", "ops"), identity.groups());
        assertEquals(Instant.ofEpochSecond(claims.getExpirationTime().getValue() + 60), identity.validUntil().orElseThrow());
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderTheSameKeyIdIsRefused() throws Exception {
        assertRefused(verifier(pem(), Duration.ZERO), issuer.forge(TokenIssuer.claims("mallory")), "Token signature not valid");
    }

    @Test
    @Timeout(30) // waits for the token's expiry on the wall clock (about 2 s), more on a loaded machine
    void aTokenThatWasAcceptedIsRefusedOnceItExpires() throws Exception {
        JwtVerifier verifier = verifier(pem(), Duration.ZERO);
        JwtClaims claims = TokenIssuer.claims("alice");
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 2));
        String token = issuer.sign(claims);
        Instant validUntil = verifier.verify(token).validUntil().orElseThrow();

        awaitPast(validUntil);

        assertRefused(verifier, token, "Token expired");
    }

    @Test
    void audiencesAreCheckedOnlyWhenConfigured() throws Exception {
        JwtClaims elsewhere = TokenIssuer.claims("alice");
        elsewhere.setAudience("another-service");
        String token = issuer.sign(elsewhere);

        assertEquals("alice", verifier(pem(), Duration.ZERO).verify(token).name().orElseThrow());
        JwtVerifier strict = new JwtVerifier(settings(Optional.empty(), pem(), List.of("roomcast"), "RS256", Duration.ZERO), MAX_CONNECTIONS);
        assertRefused(strict, token, "Token audience not accepted");
        assertEquals("bob", strict.verify(issuer.token("bob")).name().orElseThrow());
    }

    @Test
    void groupsThatAreNotAListOfStringsAreRefused() throws Exception {
        JwtClaims claims = TokenIssuer.claims("alice");
        claims.setClaim("groups", 42);
        assertRefused(verifier(pem(), Duration.ZERO), issuer.sign(claims),
                "Token claims are malformed (groups must be a list of strings)");
    }

    @Test
    void aKeySetOrSingleKeyInAFileVerifiesTokens(@TempDir Path dir) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("ec-1");
        Path set = Files.writeString(dir.resolve("jwks.json"),
                new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), StandardCharsets.UTF_8);
        Path single = Files.writeString(dir.resolve("key.json"),
                key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), StandardCharsets.UTF_8);
        String token = sign(TokenIssuer.claims("carol"), key, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

        for (String location : List.of(set.toUri().toString(), single.toString())) {
            JwtVerifier verifier = new JwtVerifier(settings(Optional.of(location), Optional.empty(), List.of(), "ES256", Duration.ZERO), MAX_CONNECTIONS);
            assertEquals("carol", verifier.verify(token).name().orElseThrow(), location);
        }
    }

    @Test
    void onlyTheConfiguredAlgorithmIsAccepted() throws Exception {
        EllipticCurveJsonWebKey ec = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        String ecKey = ec.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        JwtVerifier es256 = new JwtVerifier(settings(Optional.empty(), Optional.of(ecKey), List.of(), "ES256", Duration.ZERO), MAX_CONNECTIONS);
        assertEquals("dave", es256.verify(sign(TokenIssuer.claims("dave"), ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
                .name().orElseThrow());
        assertRefused(es256, issuer.token("dave"), "Token not valid");

        // The classic confusion: an HMAC token keyed with the public key the server trusts.
        JsonWebSignature hs256 = new JsonWebSignature();
        hs256.setPayload(TokenIssuer.claims("eve").toJson());
        hs256.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hs256.setKey(new HmacKey(pem().orElseThrow().getBytes(StandardCharsets.UTF_8)));
        hs256.setDoKeyValidation(false);
        assertRefused(verifier(pem(), Duration.ZERO), hs256.getCompactSerialization(), "Token not valid");
    }

    @Test
    void aKeyThatCannotBeReadOrParsedFailsStartUp(@TempDir Path dir) {
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> verifier(Optional.of("not a key"), Duration.ZERO));
        assertTrue(garbage.getMessage().startsWith("The JWT verification key is neither a PEM public key nor a JWKS"),
                garbage.getMessage());
        String missing = dir.resolve("missing.pem").toString();
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> new JwtVerifier(settings(Optional.of(missing), Optional.empty(), List.of(), "RS256", Duration.ZERO), MAX_CONNECTIONS));
        assertEquals("mp.jwt.verify.publickey.location " + missing + " cannot be read", unreadable.getMessage());
    }

    private static Optional<String> pem() {
        return Optional.of(issuer.publicKeyPem());
    }

    private static JwtVerifier verifier(Optional<String> key, Duration skew) {
        return new JwtVerifier(settings(Optional.empty(), key, List.of(), "RS256", skew), MAX_CONNECTIONS);
    }

    private static JwtSettings settings(Optional<String> location, Optional<String> key, List<String> audiences,
            String algorithm, Duration skew) {
        return new JwtSettings(location, key, Optional.of(TokenIssuer.ISSUER), audiences, algorithm, skew, "Bearer",
                Optional.of("access_token"));
    }

    private static String sign(JwtClaims claims, EllipticCurveJsonWebKey key, String algorithm) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(algorithm);
        return jws.getCompactSerialization();
    }

    /** Returns once the wall clock is past {@code instant} (a few seconds at most here). */
    private static void awaitPast(Instant instant) throws InterruptedException {
        while (!Instant.now().isAfter(instant)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), instant).toMillis() + 1));
        }
    }

    private static void assertRefused(JwtVerifier verifier, String token, String reason) {
        assertEquals(reason, assertThrows(NotAuthenticatedException.class, () -> verifier.verify(token)).getMessage());
    }
}
