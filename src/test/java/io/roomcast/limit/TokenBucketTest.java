package io.roomcast.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfTheRateThenRefuses() {
        TokenBucket bucket = new TokenBucket(10, 0);
        for (int i = 0; i < 10; i++) {
            assertTrue(bucket.tryTake(0), "frame " + i);
        }
        assertFalse(bucket.tryTake(0));
    }

    @Test
    void refillsAtTheRateAndNeverBeyondTheBurst() {
        TokenBucket bucket = new TokenBucket(10, 0);
        for (int i = 0; i < 10; i++) {
            bucket.tryTake(0);
        }
        assertTrue(bucket.tryTake(SECOND / 10), "one token after a tenth of a second");
        assertFalse(bucket.tryTake(SECOND / 10));
        long muchLater = 100 * SECOND;
        int taken = 0;
        while (bucket.tryTake(muchLater)) {
            taken++;
        }
        assertEquals(10, taken, "idle time saves up at most one burst");
    }

    @Test
    void sustainedRateIsHonouredOverTime() {
        TokenBucket bucket = new TokenBucket(100, 0);
        int accepted = 0;
        for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) { // 1000 attempts per second
            if (bucket.tryTake(t)) {
                accepted++;
            }
        }
        assertTrue(accepted >= 1000 && accepted <= 1100, "about 100/s for 10 s plus one burst: " + accepted);
    }
}
