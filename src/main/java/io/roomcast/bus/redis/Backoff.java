package io.roomcast.bus.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: doubling from {@code base} up to {@code cap}, each drawn at random from the
 * upper half of the current step ("equal jitter"), so that many nodes losing the same Redis do
 * not reconnect in lockstep, yet none waits longer than {@code cap}. Used by one thread.
 */
final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    Backoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    /** The delay before the next attempt. */
    Duration next() {
        long step = Math.min(capMillis, baseMillis << Math.min(attempt, 20));
        attempt++;
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    /** After a success: the next failure starts from {@code base} again. */
    void reset() {
        attempt = 0;
    }
}
