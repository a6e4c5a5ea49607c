package io.roomcast.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeriodicTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aTaskThatThrowsRunsAgainNextPeriodAndEachFailureIsCounted() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch ranAfterFailing = new CountDownLatch(1);
        ScheduledFuture<?> watchdog = Periodic.atFixedRate(scheduler, "test watchdog", 1, () -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new IllegalStateException("first run fails");
            }
            if (run == 2) {
                throw new OutOfMemoryError("unable to create native thread");
            }
            ranAfterFailing.countDown();
        }, failures::incrementAndGet);
        assertTrue(ranAfterFailing.await(5, TimeUnit.SECONDS), "the schedule ended at the first failure");
        assertEquals(2, failures.get());
        assertFalse(watchdog.isDone(), "still scheduled");
    }
}
