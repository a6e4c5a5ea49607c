package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class AdminAccessTest {

    private static AdminAccess access(Map<String, String> values) {
        AdminAccess access = new AdminAccess();
        access.config = new RoomcastConfig(key -> Optional.ofNullable(values.get(key)));
        access.authenticator = new Authenticator();
        access.authenticator.config = access.config;
        return access;
    }

    @Test
    void withoutAuthenticationOnlyCallersOnThisMachineGetIn() {
        AdminAccess access = access(Map.of());
        assertTrue(access.allows(FakeRequest.from("127.0.0.1", Map.of())));
        assertTrue(access.allows(FakeRequest.from("127.0.0.2", Map.of())));
        assertTrue(access.allows(FakeRequest.from("::1", Map.of())));
        assertFalse(access.allows(FakeRequest.from("10.0.0.7", Map.of())));
        assertFalse(access.allows(FakeRequest.from("192.0.2.1", Map.of("X-Forwarded-For", "127.0.0.1"))),
                "an untrusted peer cannot claim to be local");
    }

    @Test
    void aProxyOnThisMachineDoesNotMakeItsCallersLocal() {
        AdminAccess access = access(Map.of());
        assertFalse(access.allows(FakeRequest.from("127.0.0.1", Map.of("X-Forwarded-For", "203.0.113.9"))));
        assertTrue(access.allows(FakeRequest.from("127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.1"))));
    }

    @Test
    void allowRemoteOpensTheAdminApiOnPurpose() {
        AdminAccess access = access(Map.of("roomcast.admin.allow-remote", "true"));
        assertTrue(access.allows(FakeRequest.from("10.0.0.7", Map.of())));
    }

    @Test
    void withAuthenticationTheAdminGroupDecidesNotTheAddress() {
        AdminAccess access = access(Map.of("roomcast.auth.mode", "proxy"));
        assertTrue(access.allows(FakeRequest.from("10.0.0.7", Map.of())));
    }

    @Test
    void aLoopbackPeerThatForwardsIsNotLocalUnlessATrustedProxySaysSo() {
        AdminAccess access = access(Map.of());
        // Sidecars and proxies on this host: Envoy connects from 127.0.0.6, others from ::1.
        for (String peer : java.util.List.of("127.0.0.6", "::1", "127.0.0.2")) {
            assertFalse(access.allows(FakeRequest.from(peer, Map.of("X-Forwarded-For", "203.0.113.9"))), peer);
            assertFalse(access.allows(FakeRequest.from(peer, Map.of("X-Forwarded-For", "127.0.0.1"))),
                    peer + " is not trusted: its word that the client is local counts for nothing");
        }
        for (String header : AdminAccess.FORWARDING_HEADERS) {
            if (!header.equals("X-Forwarded-For")) {
                assertFalse(access.allows(FakeRequest.from("127.0.0.1", Map.of(header, "x"))),
                        header + " without X-Forwarded-For: a proxy that does not say who its client is");
            }
        }
        assertTrue(access.allows(FakeRequest.from("127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.1",
                "X-Forwarded-Proto", "http"))), "the trusted local proxy says the client is local");
    }

    @Test
    void aTrustedProxyOnAnotherMachineCannotVouchForLocalCallers() {
        AdminAccess access = access(Map.of("roomcast.auth.trusted-proxies", "10.0.4.17"));
        assertFalse(access.allows(FakeRequest.from("10.0.4.17", Map.of("X-Forwarded-For", "127.0.0.1"))),
                "its loopback is its own machine");
    }
}
