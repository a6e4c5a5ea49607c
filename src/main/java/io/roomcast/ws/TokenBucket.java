package io.roomcast.ws;

/**
 * Per-connection rate limit: {@code ratePerSecond} tokens a second, at most
 * {@code ratePerSecond} saved up (the burst). Used from the connection's message thread only.
 */
final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastRefill;

    TokenBucket(int ratePerSecond, long nowNanos) {
        this.capacity = ratePerSecond;
        this.tokensPerNano = (double) ratePerSecond / NANOS_PER_SECOND;
        this.tokens = ratePerSecond;
        this.lastRefill = nowNanos;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastRefill = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
