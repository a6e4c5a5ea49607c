package io.roomcast.limit;

/**
 * A rate limit: {@code ratePerSecond} tokens a second, at most {@code ratePerSecond} saved up
 * (the burst). Not thread-safe: one WebSocket connection's message thread owns its bucket, and
 * {@link CallerBuckets} takes each HTTP caller's bucket under a per-caller lock.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastRefill;

    public TokenBucket(int ratePerSecond, long nowNanos) {
        this.capacity = ratePerSecond;
        this.tokensPerNano = (double) ratePerSecond / NANOS_PER_SECOND;
        this.tokens = ratePerSecond;
        this.lastRefill = nowNanos;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds from {@code nowNanos} until a token is there (0 when one is). */
    public long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
    }

    /** Whether the bucket has been idle long enough to be full: it then equals a new one. */
    public boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastRefill = nowNanos;
        }
    }
}
