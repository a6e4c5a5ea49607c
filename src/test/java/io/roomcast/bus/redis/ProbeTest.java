package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProbeTest {

    @Test
    void aProbeComingBackIsTakenWhileTheNextProbesPublishWaitsForRedis() throws Exception {
        CountDownLatch publishing = new CountDownLatch(1);
        CountDownLatch redisAnswers = new CountDownLatch(1);
        Probe probe = new Probe(seq -> {
            if (seq == 2) { // the second probe's publish hangs, as on a slow Redis
                publishing.countDown();
                await(redisAnswers);
            }
        }, () -> { }, new Probe.Timing(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        probe.restart(); // sends probe 1
        probe.received(1);
        Thread ticker = new Thread(probe::tick); // sends probe 2, which hangs
        ticker.start();
        try {
            assertTrue(publishing.await(5, TimeUnit.SECONDS));
            // The subscriber thread's delivery of a probe must not wait for that publish.
            CompletableFuture<Void> delivered = CompletableFuture.runAsync(() -> probe.received(2));
            delivered.get(5, TimeUnit.SECONDS);
            assertTrue(probe.healthy());
        } finally {
            redisAnswers.countDown();
            ticker.join();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
