package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The token timers of one connection, run by hand: when the warning goes, and that a refresh
 * (re-arming) or a release (cancel) disarms the timers already scheduled, even if they fire.
 */
class ExpiryTimersTest {

    private static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");

    /** A scheduler that only records what it is given; the test runs the tasks. */
    private final List<Runnable> tasks = new ArrayList<>();
    private final List<Long> delays = new ArrayList<>();
    private final List<Instant> warnings = new ArrayList<>();
    private int expired;

    private final ExpiryTimers timers = new ExpiryTimers(recordingScheduler(), Duration.ofSeconds(60),
            warnings::add, () -> expired++);

    @Test
    void theWarningGoesThatLongBeforeExpiryOrAtOnceWhenLessRemains() {
        assertEquals(240_000, ExpiryTimers.warningDelayMillis(NOW, NOW.plusSeconds(300), Duration.ofSeconds(60)));
        assertEquals(0, ExpiryTimers.warningDelayMillis(NOW, NOW.plusSeconds(30), Duration.ofSeconds(60)));
        assertEquals(0, ExpiryTimers.warningDelayMillis(NOW, NOW.minusSeconds(5), Duration.ofSeconds(60)));
        assertEquals(5_000, ExpiryTimers.warningDelayMillis(NOW, NOW.plusSeconds(5), Duration.ZERO));
    }

    @Test
    void armedTimersWarnWithTheExpiryThenExpire() {
        Instant expires = Instant.now().plusSeconds(600);
        timers.arm(expires, expires.plusSeconds(30));
        assertEquals(2, tasks.size());
        long warningDelay = delays.get(0);
        long closeDelay = delays.get(1);
        assertEquals(60_000 + 30_000, closeDelay - warningDelay, 1_000.0, "the close waits for the clock skew too");
        tasks.forEach(Runnable::run);
        assertEquals(List.of(expires), warnings);
        assertEquals(1, expired);
    }

    @Test
    void aRefreshDisarmsTheOldTokensTimersEvenWhenTheyFireAnyway() {
        Instant first = Instant.now().plusSeconds(10);
        Instant second = first.plusSeconds(300);
        timers.arm(first, first);
        timers.arm(second, second);
        tasks.get(0).run(); // the old warning and close, fired as the refresh happened
        tasks.get(1).run();
        assertEquals(List.of(), warnings);
        assertEquals(0, expired, "a refreshed connection is not closed by its old token's timer");
        tasks.get(2).run();
        tasks.get(3).run();
        assertEquals(List.of(second), warnings);
        assertEquals(1, expired);
    }

    @Test
    void aReleasedConnectionsTimersDoNothingAndCannotBeArmedAgain() {
        Instant expires = Instant.now().plusSeconds(10);
        timers.arm(expires, expires);
        timers.cancel();
        timers.arm(expires.plusSeconds(60), expires.plusSeconds(60)); // a refresh racing with the close
        assertEquals(2, tasks.size(), "nothing armed after the cancel");
        tasks.forEach(Runnable::run);
        assertEquals(List.of(), warnings);
        assertEquals(0, expired);
    }

    private ScheduledExecutorService recordingScheduler() {
        ScheduledFuture<?> future = (ScheduledFuture<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduledFuture.class}, (self, method, args) -> method.getName().equals("cancel") ? true : null);
        return (ScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduledExecutorService.class}, (self, method, args) -> {
                    if (method.getName().equals("schedule") && args[0] instanceof Runnable task) {
                        tasks.add(task);
                        delays.add(((TimeUnit) args[2]).toMillis((Long) args[1]));
                        return future;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
