package io.roomcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The security keys of RoomcastConfig: defaults, and start-up failures that name the key. */
class SecurityConfigTest {

    private static RoomcastConfig config(Map<String, String> values) {
        return new RoomcastConfig(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsAreAnonymousWithLocalProxyTrustedAndNoLimits() {
        RoomcastConfig config = config(Map.of());
        assertEquals(AuthMode.NONE, config.authMode());
        assertEquals(Optional.of("access_token"), config.jwt().queryParam());
        assertEquals("Bearer", config.jwt().cookie());
        assertEquals(Duration.ofSeconds(60), config.jwt().clockSkew());
        assertTrue(config.trustedProxies().contains("127.0.0.1"));
        assertEquals("X-Forwarded-User", config.userHeader());
        assertEquals("X-Forwarded-Groups", config.groupsHeader());
        assertEquals("roomcast-admin", config.adminGroup());
        assertEquals("roomcast-publisher", config.publisherGroup());
        assertTrue(config.accessRules().isEmpty());
        assertEquals(0, config.maxConnectionsPerAddress());
    }

    @Test
    void emptyQueryParamTurnsItOffAndEmptyTrustedProxiesTrustsNobody() {
        RoomcastConfig config = config(Map.of("roomcast.auth.query-param", "", "roomcast.auth.trusted-proxies", ""));
        assertEquals(Optional.empty(), config.jwt().queryParam());
        assertFalse(config.trustedProxies().contains("127.0.0.1"));
    }

    @Test
    void jwtModeNeedsKeyAndIssuer() {
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("roomcast.auth.mode", "jwt", "mp.jwt.verify.issuer", "i")));
        assertTrue(noKey.getMessage().contains("mp.jwt.verify.publickey.location"));
        IllegalArgumentException noIssuer = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("roomcast.auth.mode", "JWT", "mp.jwt.verify.publickey.location", "k.pem")));
        assertTrue(noIssuer.getMessage().contains("mp.jwt.verify.issuer"));
    }

    @Test
    void unknownModeAndBadLimitFailNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(Map.of("roomcast.auth.mode", "ldap")))
                .getMessage().startsWith("roomcast.auth.mode"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("roomcast.max-connections-per-address", "-1")))
                .getMessage().startsWith("roomcast.max-connections-per-address"));
    }

    @Test
    void clusterKeyIsAgreedByDefaultAndWrittenToLibertysOutputDirectory() {
        ClusterKeySettings key = config(Map.of("server.output.dir", "/srv/wlp/usr/servers/node")).clusterKey();
        assertEquals(Optional.empty(), key.secret());
        assertEquals(Optional.of(java.nio.file.Path.of("/srv/wlp/usr/servers/node/roomcast-cluster-secret")), key.file());
        assertEquals(Optional.empty(), config(Map.of("server.output.dir", "/srv", "roomcast.cluster.secret-file", ""))
                .clusterKey().file(), "empty: no file");
    }

    @Test
    void aShortClusterSecretFailsStartUpWithoutShowingIt() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> config(Map.of("roomcast.cluster.secret", "hunter2")));
        assertTrue(refusal.getMessage().contains("roomcast.cluster.secret"), refusal.getMessage());
        assertFalse(refusal.getMessage().contains("hunter2"), refusal.getMessage());
        ClusterKeySettings key = config(Map.of("roomcast.cluster.secret", "a-long-enough-secret")).clusterKey();
        assertFalse(key.toString().contains("a-long-enough-secret"), key.toString());
    }

    @Test
    void httpLimitsDefaultToFiftyASecondPerCallerAndZeroTurnsThemOff() {
        assertEquals(new HttpLimits(50, 50, 10_000), config(Map.of()).httpLimits());
        assertEquals(new HttpLimits(0, 0, 10_000), config(Map.of("roomcast.http.rate.publishes-per-second", "0",
                "roomcast.http.rate.reads-per-second", "0")).httpLimits());
        assertThrows(IllegalArgumentException.class, () -> config(Map.of("roomcast.http.rate.max-callers", "0")));
    }
}
