package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.roomcast.config.RoomcastConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VerifiedTokensTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Identity validUntil(Instant end) {
        return new Identity(Optional.of("alice"), Set.of(), Optional.of(end));
    }

    @Test
    void aFullCacheForgetsOnlyTheLeastRecentlyUsedToken() {
        VerifiedTokens tokens = new VerifiedTokens(3);
        Identity identity = validUntil(NOW.plusSeconds(60));
        tokens.put("a", identity);
        tokens.put("b", identity);
        tokens.put("c", identity);
        assertNotNull(tokens.get("a", NOW), "a is now the most recently used");
        tokens.put("d", identity);
        assertEquals(3, tokens.size(), "full, not emptied");
        assertNull(tokens.get("b", NOW), "b was the least recently used");
        assertNotNull(tokens.get("a", NOW));
        assertNotNull(tokens.get("c", NOW));
        assertNotNull(tokens.get("d", NOW));
    }

    @Test
    void aNodeFullOfConnectionsKeepsEveryOnesToken() {
        int connections = 10_000;
        VerifiedTokens tokens = new VerifiedTokens(connections);
        Identity identity = validUntil(NOW.plusSeconds(60));
        for (int i = 0; i < connections; i++) {
            tokens.put("token-" + i, identity);
        }
        for (int i = 0; i < connections; i++) {
            assertNotNull(tokens.get("token-" + i, NOW), "token-" + i);
        }
    }

    @Test
    void anExpiredTokenIsForgottenAndNotReturned() {
        VerifiedTokens tokens = new VerifiedTokens(2);
        tokens.put("old", validUntil(NOW));
        assertNull(tokens.get("old", NOW));
        assertEquals(0, tokens.size());
    }

    @Test
    void theVerifierHoldsATokenPerConnectionPlusHeadroomForApiCallers() {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.auth.mode", "jwt", "roomcast.max-connections", "25000",
                // A JWKS URL is fetched on first use only: none happens here.
                "mp.jwt.verify.publickey.location", "http://127.0.0.1:9/jwks",
                "mp.jwt.verify.issuer", "https://issuer.example").get(key)));
        JwtVerifier verifier = new JwtVerifier(config.jwt(), config.maxConnections());
        assertEquals(25_000 + JwtVerifier.CACHE_HEADROOM, verifier.cacheCapacity());
    }
}
