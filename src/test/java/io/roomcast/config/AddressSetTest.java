package io.roomcast.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressSetTest {

    private final AddressSet set = AddressSet.parse("k", List.of("127.0.0.1", "10.0.0.0/8", "192.168.1.128/25", "fd00::/8"));

    @Test
    void containsExactAddressesAndCidrRanges() {
        assertTrue(set.contains("127.0.0.1"));
        assertFalse(set.contains("127.0.0.2"));
        assertTrue(set.contains("10.255.1.2"));
        assertFalse(set.contains("11.0.0.1"));
        assertTrue(set.contains("192.168.1.200"));
        assertFalse(set.contains("192.168.1.127"));
        assertTrue(set.contains("fd12::1"));
        assertTrue(set.contains("[fd12::1]"));
        assertFalse(set.contains("fe80::1"));
    }

    @Test
    void namesAndGarbageAreNeverTrusted() {
        assertFalse(set.contains("localhost"));
        assertFalse(set.contains(""));
        assertFalse(set.contains(null));
        assertFalse(set.contains("10.0.0.1, 10.0.0.2"));
    }

    @Test
    void badEntriesFailNamingTheKey() {
        assertThrows(IllegalArgumentException.class, () -> AddressSet.parse("k", List.of("proxy.example.com")));
        assertThrows(IllegalArgumentException.class, () -> AddressSet.parse("k", List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> AddressSet.parse("k", List.of("10.0.0.0/x")));
    }
}
