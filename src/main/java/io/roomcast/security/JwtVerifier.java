package io.roomcast.security;

import io.roomcast.config.JwtSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jose4j.http.Get;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * Verifies a signed JWT the way MicroProfile JWT specifies: signature with the configured public
 * key (PEM or JWKS, inline, from a file or class-path resource, or from a JWKS URL), the one
 * accepted algorithm, {@code iss}, {@code aud} when audiences are configured, and a required
 * {@code exp}, with the configured clock skew.
 *
 * <p>Tokens already verified are remembered until they expire ({@link VerifiedTokens}, as many
 * as the node holds connections, least recently used evicted first): after a node restart
 * every client reconnects with the token it already has, and checking an RSA signature costs
 * far more than a map look-up. The key is the whole token, so only its holder can hit the cache.
 *
 * <p>A JWKS URL is fetched on first use and cached (for as long as its Cache-Control allows,
 * an hour otherwise); a token signed with an unknown {@code kid} triggers one refetch, so key
 * rotation at the identity provider needs no restart. Thread-safe.
 */
final class JwtVerifier {

    private static final int JWKS_TIMEOUT_MILLIS = 5_000;
    private static final long JWKS_CACHE_SECONDS = 3_600;
    /** Room for API callers' tokens besides one per connection. */
    static final int CACHE_HEADROOM = 1_024;

    private final JwtConsumer consumer;
    private final long skewSeconds;
    private final VerifiedTokens verified;

    /**
     * @param maxConnections {@code roomcast.max-connections}: the cache holds a token for each
     *                       connection the node can hold, plus {@link #CACHE_HEADROOM}
     * @throws IllegalArgumentException when the key cannot be read or parsed (fails start-up)
     */
    JwtVerifier(JwtSettings settings, int maxConnections) {
        this.verified = new VerifiedTokens(maxConnections + CACHE_HEADROOM);
        this.skewSeconds = settings.clockSkew().toSeconds();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds((int) skewSeconds)
                .setExpectedIssuer(settings.issuer().orElseThrow())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, settings.algorithm());
        if (settings.audiences().isEmpty()) {
            builder.setSkipDefaultAudienceValidation();
        } else {
            builder.setExpectedAudience(settings.audiences().toArray(String[]::new));
        }
        configureKey(builder, settings);
        this.consumer = builder.build();
    }

    /** How many verified tokens are remembered at most. */
    int cacheCapacity() {
        return verified.capacity();
    }

    /** The identity the token proves; the message of the exception says which check failed. */
    Identity verify(String token) throws NotAuthenticatedException {
        Identity known = verified.get(token, Instant.now());
        if (known != null) {
            return known;
        }
        Identity identity = verifySignatureAndClaims(token);
        verified.put(token, identity);
        return identity;
    }

    private Identity verifySignatureAndClaims(String token) throws NotAuthenticatedException {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String name = firstPresent(claims, "upn", "preferred_username", "sub");
            Set<String> groups = claims.hasClaim("groups") ? Set.copyOf(claims.getStringListClaimValue("groups")) : Set.of();
            Instant expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            Identity.SignOn signOn = new Identity.SignOn(stringClaim(claims, "sub"), stringClaim(claims, "sid"));
            return new Identity(Optional.of(name), groups, Optional.of(expires.plusSeconds(skewSeconds)),
                    Optional.of(expires), signOn);
        } catch (InvalidJwtException e) {
            throw new NotAuthenticatedException(reason(e));
        } catch (MalformedClaimException e) {
            throw new NotAuthenticatedException("Token claims are malformed (groups must be a list of strings)");
        }
    }

    /** A claim that is a string, else empty (kept for logout; its absence refuses nothing). */
    private static Optional<String> stringClaim(JwtClaims claims, String name) {
        return claims.getClaimValue(name) instanceof String value ? Optional.of(value) : Optional.empty();
    }

    private static String firstPresent(JwtClaims claims, String... names) throws NotAuthenticatedException,
            MalformedClaimException {
        for (String claim : names) {
            String value = claims.getClaimValue(claim) instanceof String ? claims.getStringClaimValue(claim) : null;
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new NotAuthenticatedException("Token names no user (upn, preferred_username or sub)");
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "Token expired";
        } else if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return "Token issuer not accepted";
        } else if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "Token audience not accepted";
        } else if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "Token signature not valid";
        }
        return "Token not valid";
    }

    private static void configureKey(JwtConsumerBuilder builder, JwtSettings settings) {
        Optional<String> location = settings.keyLocation();
        if (settings.key().isEmpty() && location.isPresent() && location.get().matches("(?i)https?://.*")) {
            HttpsJwks jwks = new HttpsJwks(location.get());
            Get get = new Get();
            get.setConnectTimeout(JWKS_TIMEOUT_MILLIS);
            get.setReadTimeout(JWKS_TIMEOUT_MILLIS);
            jwks.setSimpleHttpGet(get);
            jwks.setDefaultCacheDuration(JWKS_CACHE_SECONDS);
            builder.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks));
            return;
        }
        String text = settings.key().orElseGet(() -> read(location.orElseThrow()));
        try {
            if (text.trim().startsWith("{")) {
                builder.setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks(text)));
            } else {
                builder.setVerificationKey(pem(text, settings.algorithm()));
            }
        } catch (JoseException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The JWT verification key is neither a PEM public key nor a JWKS: "
                    + e.getMessage(), e);
        }
    }

    private static List<JsonWebKey> jwks(String json) throws JoseException {
        return json.contains("\"keys\"") ? new JsonWebKeySet(json).getJsonWebKeys()
                : List.of(JsonWebKey.Factory.newJwk(json));
    }

    private static PublicKey pem(String text, String algorithm) throws GeneralSecurityException {
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        return KeyFactory.getInstance(algorithm.startsWith("ES") ? "EC" : "RSA").generatePublic(spec);
    }

    /** A file ({@code file:} URL or path) or class-path resource, as MicroProfile JWT allows. */
    private static String read(String location) {
        try {
            if (location.startsWith("file:")) {
                return Files.readString(Path.of(URI.create(location)));
            }
            String resource = location.replaceFirst("^classpath:", "").replaceFirst("^/", "");
            try (InputStream in = JwtVerifier.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(Path.of(location));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("mp.jwt.verify.publickey.location " + location + " cannot be read", e);
        }
    }
}
