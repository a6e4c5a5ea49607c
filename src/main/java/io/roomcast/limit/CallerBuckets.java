package io.roomcast.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per caller (an address or a user name), for limits that follow a
 * caller across requests and threads. Memory stays bounded: a bucket that has filled up again
 * (idle for at most a second, as the burst is one second's worth) is the same as a new one, so
 * such buckets are dropped once a second; and at most {@code maxCallers} are kept, so a caller
 * the table has no room for waits like a limited one. Thread-safe: each caller's bucket changes
 * under the map's per-key lock, which never waits for anything else.
 */
public final class CallerBuckets {

    private static final long SECOND = 1_000_000_000L;

    private final int ratePerSecond;
    private final int maxCallers;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /**
     * @param ratePerSecond requests a second per caller, and the burst; 0 turns the limit off
     * @param maxCallers    callers tracked at once
     * @param nanoClock     {@link System#nanoTime} in production; a hand-moved clock in tests
     */
    public CallerBuckets(int ratePerSecond, int maxCallers, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.maxCallers = maxCallers;
        this.nanoClock = nanoClock;
        this.nextSweep = new AtomicLong(nanoClock.getAsLong() + SECOND);
    }

    /**
     * Takes a token for {@code caller}: 0 when it got one, otherwise the nanoseconds it should
     * wait before asking again (at least 1).
     */
    public long take(String caller) {
        if (ratePerSecond == 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        sweepIfDue(now);
        if (buckets.size() >= maxCallers && !buckets.containsKey(caller)) {
            sweep(now);
            if (buckets.size() >= maxCallers) {
                return SECOND; // every tracked caller was active within the last second
            }
        }
        long[] wait = new long[1];
        buckets.compute(caller, (name, bucket) -> {
            TokenBucket current = bucket != null ? bucket : new TokenBucket(ratePerSecond, now);
            wait[0] = current.tryTake(now) ? 0 : Math.max(1, current.nanosUntilToken(now));
            return current;
        });
        return wait[0];
    }

    /** Callers currently tracked. */
    public int size() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SECOND)) {
            sweep(now);
        }
    }

    private void sweep(long now) {
        for (String caller : buckets.keySet()) {
            buckets.computeIfPresent(caller, (name, bucket) -> bucket.isFull(now) ? null : bucket);
        }
    }
}
