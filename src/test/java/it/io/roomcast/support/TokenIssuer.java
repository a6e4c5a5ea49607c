package it.io.roomcast.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * A stand-in identity provider: an RSA key pair generated per test run, its public half served
 * as a JWKS from a loopback HTTP server, and tokens signed with it. Also signs with an impostor
 * key under the same key id, to prove that signatures are checked.
 */
public final class TokenIssuer implements AutoCloseable {

    public static final String ISSUER = "https://idp.roomcast.test";
    public static final String AUDIENCE = "roomcast";
    private static final String KEY_ID = "test-key";

    private final RsaJsonWebKey key;
    private final RsaJsonWebKey impostor;
    private final HttpServer server;

    private TokenIssuer() throws JoseException, IOException {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(KEY_ID);
        impostor = RsaJwkGenerator.generateJwk(2048);
        impostor.setKeyId(KEY_ID);
        byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
    }

    public static TokenIssuer start() throws Exception {
        return new TokenIssuer();
    }

    /** Where the server finds the public key ({@code mp.jwt.verify.publickey.location}). */
    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** The public key as PEM ({@code mp.jwt.verify.publickey}). */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(key.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Valid claims for {@code user}: right issuer and audience, expiring in ten minutes. */
    public static JwtClaims claims(String user, String... groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setClaim("upn", user);
        claims.setStringListClaim("groups", List.of(groups));
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        return claims;
    }

    /** A valid token for {@code user} in {@code groups}. */
    public String token(String user, String... groups) throws JoseException {
        return sign(claims(user, groups));
    }

    public String sign(JwtClaims claims) throws JoseException {
        return sign(claims, key);
    }

    /** Signed with a different private key that claims the real key's id. */
    public String forge(JwtClaims claims) throws JoseException {
        return sign(claims, impostor);
    }

    /** The same claims with {@code alg: none} and no signature: what a forger sends first. */
    public static String algNone(JwtClaims claims) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
        return jws.getCompactSerialization();
    }

    /** A genuinely signed token with its signature cut off. */
    public String unsigned(JwtClaims claims) throws JoseException {
        String signed = sign(claims);
        return signed.substring(0, signed.lastIndexOf('.') + 1);
    }

    private static String sign(JwtClaims claims, RsaJsonWebKey with) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(with.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
