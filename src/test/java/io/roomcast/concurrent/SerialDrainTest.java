package io.roomcast.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialDrainTest {

    private static final int PRODUCERS = 4;
    private static final int ITEMS_EACH = 20_000;

    private final ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + 2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void anOfferBeyondTheCapacityIsRefusedAndQueuesNothing() {
        SerialDrain<String> drain = new SerialDrain<>(2);
        assertTrue(drain.offer("a"));
        assertTrue(drain.offer("b"));
        assertFalse(drain.offer("c"));
        assertEquals(2, drain.size());
        assertEquals(List.of("a", "b"), drain.poll(10));
        assertEquals(0, drain.size());
        assertTrue(drain.offer("d"), "room again once drained");
    }

    @Test
    void onlyOneClaimHoldsUntilTheDrainerReleasesAnEmptyQueue() {
        SerialDrain<String> drain = new SerialDrain<>(10);
        assertTrue(drain.claim());
        assertFalse(drain.claim(), "a second drainer while the first runs");
        assertFalse(drain.release(), "nothing queued: the drain goes idle");
        assertTrue(drain.claim(), "idle again: the next producer starts it");
    }

    @Test
    void anItemQueuedAfterTheDrainersLastPollIsTakenByThatDrainer() {
        SerialDrain<String> drain = new SerialDrain<>(10);
        assertTrue(drain.claim());
        assertEquals(null, drain.poll());
        // A producer comes between the drainer's empty poll and its release: its claim fails.
        assertTrue(drain.offer("late"));
        assertFalse(drain.claim());
        assertTrue(drain.release(), "the releasing drainer sees the late item and goes on");
        assertFalse(drain.claim(), "it still holds the drain");
        assertEquals("late", drain.poll());
        assertFalse(drain.release());
    }

    @Test
    void workBesidesTheQueueIsSeenByTheRelease() {
        SerialDrain<String> drain = new SerialDrain<>(10);
        AtomicBoolean pingWanted = new AtomicBoolean();
        assertTrue(drain.claim());
        pingWanted.set(true); // asked for while the drainer ran: the asker's claim failed
        assertFalse(drain.claim());
        assertTrue(drain.release(pingWanted::get));
        pingWanted.set(false);
        assertFalse(drain.release(pingWanted::get));
    }

    @Test
    void upToMaxDrainersMayDrainAtOnce() {
        SerialDrain<String> drain = new SerialDrain<>(10, 2);
        assertTrue(drain.claim());
        assertTrue(drain.claim());
        assertFalse(drain.claim());
        assertFalse(drain.release());
        assertTrue(drain.claim());
    }

    @Test
    void aRefusedStartGivesTheClaimBackAndHandsOverEveryWaitingItem() {
        SerialDrain<String> drain = new SerialDrain<>(10);
        drain.offer("a");
        drain.offer("b");
        assertTrue(drain.claim());
        AtomicReference<List<String>> refused = new AtomicReference<>();
        drain.startOn(task -> {
            throw new RejectedExecutionException("shutting down");
        }, () -> { }, (items, cause) -> refused.set(items));
        assertEquals(List.of("a", "b"), refused.get());
        assertEquals(0, drain.size());
        assertTrue(drain.claim(), "the refused start holds no claim");
    }

    @Test
    void drainersOnAnExecutorHandleEveryItemOnceInOrderOneAtATime() throws Exception {
        SerialDrain<long[]> drain = new SerialDrain<>(Integer.MAX_VALUE);
        Recorder recorder = new Recorder();
        Runnable drainer = () -> {
            do {
                long[] item;
                while ((item = drain.poll()) != null) {
                    recorder.handle(item);
                }
            } while (drain.release());
        };
        produce(item -> {
            drain.offer(item);
            if (drain.claim()) {
                drain.startOn(threads, drainer, (items, e) -> { });
            }
        });
        recorder.assertAllHandled();
    }

    @Test
    void producersThatDrainOnTheirOwnThreadLoseNoItem() throws Exception {
        SerialDrain<long[]> drain = new SerialDrain<>(Integer.MAX_VALUE);
        Recorder recorder = new Recorder();
        produce(item -> {
            drain.offer(item);
            if (drain.claim()) {
                do {
                    drain.poll(8).forEach(recorder::handle);
                } while (drain.release());
            }
        });
        recorder.assertAllHandled();
    }

    /** Offers {producer, sequence} pairs from several threads at once. */
    private void produce(java.util.function.Consumer<long[]> offer) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < PRODUCERS; p++) {
            long producer = p;
            threads.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < ITEMS_EACH; i++) {
                    offer.accept(new long[] {producer, i});
                }
            });
        }
        start.countDown();
    }

    /** Checks one drainer at a time and each producer's order; done when every item came. */
    private static final class Recorder {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final long[] next = new long[PRODUCERS];
        final List<String> outOfOrder = new ArrayList<>();
        final CountDownLatch all = new CountDownLatch(PRODUCERS * ITEMS_EACH);

        void handle(long[] item) {
            if (inside.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            int producer = (int) item[0];
            if (item[1] != next[producer]) {
                outOfOrder.add(producer + ":" + item[1]);
            }
            next[producer] = item[1] + 1;
            inside.decrementAndGet();
            all.countDown();
        }

        void assertAllHandled() throws InterruptedException {
            assertTrue(all.await(60, TimeUnit.SECONDS), all.getCount() + " items never drained (a lost wake-up)");
            assertEquals(0, overlaps.get(), "two drainers at once");
            synchronized (this) {
                assertEquals(List.of(), outOfOrder);
            }
        }
    }
}
