package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The reconnect delays a node waits between attempts to reach Redis. */
class BackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(5);

    @Test
    void eachDelayLiesInTheUpperHalfOfAStepThatDoublesUpToTheCap() {
        Backoff backoff = new Backoff(BASE, CAP);
        long[] steps = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000};
        for (long step : steps) {
            assertWithin(backoff.next(), step);
        }
    }

    @Test
    void manyFailuresNeverWaitLongerThanTheCap() {
        Backoff backoff = new Backoff(BASE, CAP);
        for (int attempt = 0; attempt < 1_000; attempt++) {
            Duration delay = backoff.next();
            assertTrue(delay.compareTo(CAP) <= 0 && !delay.isNegative(), "attempt " + attempt + ": " + delay);
        }
    }

    @Test
    void aSuccessStartsTheNextFailureFromTheBaseAgain() {
        Backoff backoff = new Backoff(BASE, CAP);
        IntStream.range(0, 10).forEach(i -> backoff.next());

        backoff.reset();

        assertWithin(backoff.next(), 100);
        assertWithin(backoff.next(), 200);
    }

    @Test
    void nodesThatLoseRedisTogetherDoNotRetryInLockstep() {
        Set<Duration> firstDelays = new HashSet<>();
        for (int node = 0; node < 100; node++) {
            firstDelays.add(new Backoff(Duration.ofSeconds(1), CAP).next());
        }
        assertTrue(firstDelays.size() > 10, "100 nodes drew only " + firstDelays.size() + " distinct delays");
    }

    @Test
    void aZeroBaseRetriesAtOnce() {
        assertEquals(Duration.ZERO, new Backoff(Duration.ZERO, CAP).next());
    }

    private static void assertWithin(Duration delay, long stepMillis) {
        assertTrue(delay.toMillis() >= stepMillis / 2 && delay.toMillis() <= stepMillis,
                delay.toMillis() + " ms is outside [" + stepMillis / 2 + ", " + stepMillis + "] ms");
    }
}
