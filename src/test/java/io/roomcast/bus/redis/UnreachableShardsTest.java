package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class UnreachableShardsTest {

    private static final HostAndPort DEAD = new HostAndPort("127.0.0.1", 7001);
    private static final HostAndPort HEALTHY = new HostAndPort("127.0.0.1", 7002);
    private static final long PERIOD = Duration.ofSeconds(5).toNanos();

    private final AtomicLong now = new AtomicLong(1_000);
    private final UnreachableShards shards = new UnreachableShards(Duration.ofNanos(PERIOD), now::get);

    @Test
    void aShardThatFailedIsRefusedForOnePeriodAndOthersNever() {
        shards.failed(DEAD);
        assertFalse(shards.admits(DEAD));
        assertTrue(shards.admits(HEALTHY));
        now.addAndGet(PERIOD - 1);
        assertFalse(shards.admits(DEAD));
    }

    @Test
    void afterThePeriodOneTrialGoesOutAndTheOthersWaitForItsAnswer() {
        shards.failed(DEAD);
        now.addAndGet(PERIOD);
        assertTrue(shards.admits(DEAD), "the trial");
        assertFalse(shards.admits(DEAD), "a second send while the trial is out");
        shards.failed(DEAD); // the trial timed out too
        now.addAndGet(PERIOD - 1);
        assertFalse(shards.admits(DEAD));
    }

    @Test
    void anAnswerOrAComingBackProbeEndsTheMarkAtOnce() {
        shards.failed(DEAD);
        shards.reached(DEAD);
        assertTrue(shards.admits(DEAD));
        assertTrue(shards.admits(DEAD));
    }

    @Test
    void aPeriodOfZeroNeverRefuses() {
        UnreachableShards off = new UnreachableShards(Duration.ZERO, now::get);
        off.failed(DEAD);
        assertTrue(off.admits(DEAD));
    }
}
