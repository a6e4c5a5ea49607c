package io.roomcast.security;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tokens already verified, with the identity each proves, until they expire. Bounded: when
 * full, the token used least recently is forgotten (and verified again if it comes back), so a
 * node holding as many connections as the cache holds tokens never re-verifies them all at
 * once. Thread-safe; the lock covers map operations only, never a verification.
 */
final class VerifiedTokens {

    private final int capacity;
    private final LeastRecentlyUsed byToken;

    VerifiedTokens(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.byToken = new LeastRecentlyUsed(capacity);
    }

    /** Access order: every hit moves a token to the young end; past the capacity the old end goes. */
    private static final class LeastRecentlyUsed extends LinkedHashMap<String, Identity> {

        private static final long serialVersionUID = 1L;
        private final int capacity;

        LeastRecentlyUsed(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Identity> eldest) {
            return size() > capacity;
        }
    }

    /** The identity {@code token} proved, if it is remembered and still valid at {@code now}. */
    synchronized Identity get(String token, Instant now) {
        Identity known = byToken.get(token);
        if (known != null && !now.isBefore(known.validUntil().orElseThrow())) {
            byToken.remove(token); // expired: verifying it again will refuse it
            return null;
        }
        return known;
    }

    /** Remembers a verified token; the least recently used one goes when the cache is full. */
    synchronized void put(String token, Identity identity) {
        byToken.put(token, identity);
    }

    synchronized int size() {
        return byToken.size();
    }

    int capacity() {
        return capacity;
    }
}
