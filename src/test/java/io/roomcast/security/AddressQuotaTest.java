package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AddressQuotaTest {

    private static AddressQuota quota(int max) {
        AddressQuota quota = new AddressQuota();
        Map<String, String> values = Map.of("roomcast.max-connections-per-address", String.valueOf(max));
        quota.config = new RoomcastConfig(key -> Optional.ofNullable(values.get(key)));
        return quota;
    }

    @Test
    void limitIsPerAddressAndReleasedSlotsCanBeTakenAgain() {
        AddressQuota quota = quota(2);
        assertTrue(quota.tryAcquire("a"));
        assertTrue(quota.tryAcquire("a"));
        assertFalse(quota.tryAcquire("a"));
        assertTrue(quota.tryAcquire("b"));
        quota.release("a");
        assertTrue(quota.tryAcquire("a"));
        quota.release("a");
        quota.release("a");
        assertEquals(0, quota.count("a"));
    }

    @Test
    void zeroMeansNoLimit() {
        AddressQuota quota = quota(0);
        for (int i = 0; i < 1000; i++) {
            assertTrue(quota.tryAcquire("a"));
        }
    }

    @Test
    void concurrentConnectsNeverExceedTheLimit() throws Exception {
        AddressQuota quota = quota(5);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 200; i++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (quota.tryAcquire("a")) {
                    admitted.incrementAndGet();
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(5, admitted.get());
        assertEquals(5, quota.count("a"));
    }
}
