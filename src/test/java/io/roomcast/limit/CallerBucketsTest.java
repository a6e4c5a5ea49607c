package io.roomcast.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallerBucketsTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong();

    @Test
    void eachCallerHasItsOwnBurstThenWaitsForTheNextToken() {
        CallerBuckets buckets = new CallerBuckets(4, 100, clock::get);
        for (int i = 0; i < 4; i++) {
            assertEquals(0, buckets.take("10.0.0.1"), "request " + i);
        }
        long wait = buckets.take("10.0.0.1");
        assertTrue(Math.abs(wait - SECOND / 4) <= 1, "the next token comes a quarter of a second later: " + wait);
        assertEquals(0, buckets.take("10.0.0.2"), "another caller is still served");
        clock.addAndGet(wait);
        assertEquals(0, buckets.take("10.0.0.1"), "served when told");
    }

    @Test
    void rateZeroLimitsNothingAndTracksNobody() {
        CallerBuckets buckets = new CallerBuckets(0, 100, clock::get);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(0, buckets.take("10.0.0.1"));
        }
        assertEquals(0, buckets.size());
    }

    @Test
    void idleCallersAreForgottenWithinTwoSeconds() {
        CallerBuckets buckets = new CallerBuckets(10, 100, clock::get);
        for (int i = 0; i < 50; i++) {
            buckets.take("10.0.1." + i);
        }
        assertEquals(50, buckets.size());
        clock.addAndGet(SECOND + 1);
        buckets.take("10.0.2.1"); // the once-a-second sweep runs on a request
        assertEquals(1, buckets.size(), "only the caller of this second is left");
    }

    @Test
    void aCallerStillRefillingIsKeptBySweeps() {
        CallerBuckets buckets = new CallerBuckets(10, 100, clock::get);
        clock.set(SECOND * 6 / 10);
        for (int i = 0; i < 10; i++) {
            buckets.take("10.0.0.1");
        }
        clock.set(SECOND * 11 / 10); // half a second later: 5 tokens back, not full
        buckets.take("10.0.0.2"); // runs the sweep that was due at 1 s
        int served = 0;
        while (buckets.take("10.0.0.1") == 0) {
            served++;
        }
        assertEquals(5, served, "the bucket was kept, not replaced by a full one");
    }

    @Test
    void aFullTableMakesNewCallersWaitUntilOldOnesGoIdle() {
        CallerBuckets buckets = new CallerBuckets(10, 3, clock::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, buckets.take("10.0.0." + i));
        }
        assertEquals(SECOND, buckets.take("10.0.0.99"), "no room: wait a second");
        assertEquals(3, buckets.size());
        assertEquals(0, buckets.take("10.0.0.1"), "known callers are still served");
        clock.addAndGet(SECOND);
        assertEquals(0, buckets.take("10.0.0.99"), "the idle ones made room");
        assertTrue(buckets.size() <= 3, "never more than the maximum: " + buckets.size());
    }
}
