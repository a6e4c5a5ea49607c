package io.roomcast.bus.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import redis.clients.jedis.HostAndPort;

/**
 * The per-shard circuit breaker: shards that a send just failed to reach (a connection error or
 * a timeout on a pooled connection: a primary stopped, a network dropping packets). While a
 * shard is marked, commands for it fail at once without being sent, so "not run" is certain
 * for them and a lane's batch does not wait out the command timeout again for every batch; the
 * other shards' parts of the same batch go out as usual.
 *
 * <p>A mark ends when anything reaches the shard again: a pipeline it answered, or the bus's
 * probe of it coming back (probes are sent even to a marked shard: they are the bus's existing
 * check of each shard's path). Without either, a mark lasts {@code period}; then one send is let
 * through as the trial, and the others keep failing at once until it is answered or the next
 * period ends: a shard that stays dead costs one timeout per period. Marks are by address, so a
 * failover or a slot move, which route a room to another primary, leave its publishes unmarked.
 * A period of zero turns the breaker off.
 *
 * <p>Thread-safe, no I/O; checked on every send, so an empty set costs one read.
 */
final class UnreachableShards {

    /** Until when (System.nanoTime) each marked shard is refused. */
    private final Map<HostAndPort, Long> until = new ConcurrentHashMap<>();
    private final long periodNanos;
    private final LongSupplier clock;

    UnreachableShards(Duration period) {
        this(period, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} (tests pass their own) */
    UnreachableShards(Duration period, LongSupplier clock) {
        this.periodNanos = period.toNanos();
        this.clock = clock;
    }

    /** Whether a command for {@code shard} may be sent now; true for the one trial once a period ended. */
    boolean admits(HostAndPort shard) {
        if (until.isEmpty()) {
            return true;
        }
        Long end = until.get(shard);
        if (end == null) {
            return true;
        }
        long now = clock.getAsLong();
        // The period is over: the one caller that claims the next period sends the trial.
        return now - end >= 0 && until.replace(shard, end, now + periodNanos);
    }

    /** A send could not reach {@code shard}: refuse it for one period. */
    void failed(HostAndPort shard) {
        if (periodNanos > 0) {
            until.put(shard, clock.getAsLong() + periodNanos);
        }
    }

    /** {@code shard} answered: send to it again. */
    void reached(HostAndPort shard) {
        if (!until.isEmpty()) {
            until.remove(shard);
        }
    }
}
