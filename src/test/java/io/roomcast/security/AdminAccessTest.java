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
}
