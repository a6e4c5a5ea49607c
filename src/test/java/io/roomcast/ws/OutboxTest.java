package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** Records what each outbox failure reported. */
    static final class RecordedFailures implements Outbox.Failures {
        final List<String> reported = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void overflowed() {
            reported.add("overflowed");
        }

        @Override
        public void stalled() {
            reported.add("stalled");
        }

        @Override
        public void broken(Throwable error) {
            reported.add("broken: " + error.getMessage());
        }
    }

    private final List<String> written = Collections.synchronizedList(new ArrayList<>());
    private final List<Outbox> readyQueue = new ArrayList<>();
    private final RecordedFailures failures = new RecordedFailures();

    private Outbox outbox(int limit) {
        return new Outbox(limit, written::add, readyQueue::add, failures);
    }

    /** A socket that records pings among the frames, as "PING". */
    private Outbox pingingOutbox(int limit) {
        Outbox.Socket socket = new Outbox.Socket() {
            @Override
            public void write(String frame) {
                written.add(frame);
            }

            @Override
            public void ping() {
                written.add("PING");
            }
        };
        return new Outbox(limit, socket, readyQueue::add, failures);
    }

    @Test
    void aPingIsWrittenByTheSenderBeforeTheFramesQueuedAfterIt() {
        Outbox outbox = pingingOutbox(10);
        outbox.ping();
        outbox.ping(); // one ping outstanding at a time
        outbox.offer("a");
        assertEquals(1, readyQueue.size(), "the ping schedules the outbox; the frame only queues");
        assertTrue(written.isEmpty(), "the dead-peer check never writes itself");
        assertFalse(outbox.drain(16));
        assertEquals(List.of("PING", "a"), written);
        outbox.ping();
        assertEquals(2, readyQueue.size(), "an idle outbox is scheduled again for the next ping");
        assertFalse(outbox.drain(16));
        assertEquals(List.of("PING", "a", "PING"), written);
    }

    @Test
    void noPingAfterTheOutboxFailedOrWasClosed() {
        Outbox overflowed = pingingOutbox(1);
        overflowed.offer("a");
        overflowed.offer("b"); // over the limit: failed
        overflowed.ping();
        overflowed.drain(16);
        Outbox closing = pingingOutbox(10);
        closing.closeWhenFlushed(() -> written.add("closed"));
        closing.ping();
        closing.drain(16);
        assertEquals(List.of("closed"), written);
    }

    @Test
    void aBurstSchedulesTheOutboxOnceAndIsWrittenInOrder() {
        Outbox outbox = outbox(10);
        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");
        assertEquals(1, readyQueue.size(), "one hand-off to the senders per burst, not per frame");
        assertTrue(written.isEmpty(), "the producer never writes");
        assertFalse(outbox.drain(16), "all written: the outbox goes idle");
        assertEquals(List.of("a", "b", "c"), written);
        assertEquals(0, outbox.size());
        outbox.offer("d");
        assertEquals(2, readyQueue.size(), "idle again, so the next frame schedules it again");
    }

    @Test
    void aTurnWritesAtMostTheGivenFramesThenAsksToBeRequeued() {
        Outbox outbox = outbox(100);
        for (int i = 0; i < 5; i++) {
            outbox.offer("f" + i);
        }
        assertTrue(outbox.drain(2), "frames left: the sender puts it back on the ready queue");
        assertEquals(List.of("f0", "f1"), written);
        outbox.offer("f5");
        assertEquals(1, readyQueue.size(), "still scheduled while frames are left");
        assertTrue(outbox.drain(2));
        assertTrue(outbox.drain(2));
        assertFalse(outbox.drain(2));
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4", "f5"), written);
    }

    @Test
    void overflowReportsOnceAndDropsTheQueue() {
        Outbox outbox = outbox(3);
        assertTrue(outbox.offer("1"));
        assertTrue(outbox.offer("2"));
        assertTrue(outbox.offer("3"));
        assertFalse(outbox.offer("4"), "the fourth waiting frame overflows");
        assertFalse(outbox.offer("5"));
        assertEquals(List.of("overflowed"), failures.reported, "reported once");
        assertFalse(outbox.drain(16));
        assertTrue(written.isEmpty(), "nothing is written after a failure");
    }

    @Test
    void writeErrorIsReportedAndEndsTheOutbox() {
        Outbox outbox = new Outbox(3, frame -> {
            throw new IOException("reset");
        }, readyQueue::add, failures);
        outbox.offer("a");
        outbox.offer("b");
        assertFalse(outbox.drain(16));
        assertEquals(List.of("broken: reset"), failures.reported);
        assertFalse(outbox.offer("c"));
    }

    @Test
    void aStallIsReportedOnceAndNothingMoreIsWritten() {
        Outbox outbox = outbox(10);
        outbox.offer("a");
        outbox.stalled();
        outbox.stalled();
        assertEquals(List.of("stalled"), failures.reported);
        assertFalse(outbox.offer("b"));
        assertFalse(outbox.drain(16));
        assertTrue(written.isEmpty());
    }

    @Test
    void concurrentProducersLoseNothingAndKeepTheirOrder() throws Exception {
        int threads = 4;
        int each = 20_000;
        Outbox outbox = new Outbox(1_000_000, written::add, o -> { }, failures);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread producer = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < each; i++) {
                    outbox.offer(id + ":" + i);
                }
            });
            producer.start();
            producers.add(producer);
        }
        start.countDown();
        // One sender drains while the producers are still adding.
        while (producers.stream().anyMatch(Thread::isAlive) || outbox.size() > 0) {
            outbox.drain(16);
        }
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(threads * each, written.size());
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            List<Integer> order = written.stream().filter(s -> s.startsWith(prefix))
                    .map(s -> Integer.parseInt(s.substring(prefix.length()))).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(i, order.get(i), "per-producer order");
            }
        }
    }

    @Test
    void closeWhenFlushedWritesQueuedFramesThenClosesOnceAndTakesNoMore() {
        AtomicInteger closes = new AtomicInteger();
        Outbox outbox = outbox(10);
        outbox.offer("a");
        outbox.offer("b");
        outbox.closeWhenFlushed(closes::incrementAndGet);
        assertFalse(outbox.offer("late"), "nothing is queued after the close was asked for");
        assertEquals(0, closes.get(), "frames are still queued");
        assertTrue(outbox.drain(1));
        assertEquals(0, closes.get());
        assertFalse(outbox.drain(16));
        assertEquals(1, closes.get(), "closed after the last queued frame was written");
        assertEquals(List.of("a", "b"), written);
        outbox.closeWhenFlushed(closes::incrementAndGet);
        assertFalse(outbox.drain(16));
        assertEquals(1, closes.get(), "a second request does nothing");
    }

    @Test
    void closeWhenFlushedOnAnIdleOutboxClosesOnTheNextTurn() {
        AtomicInteger closes = new AtomicInteger();
        Outbox outbox = outbox(10);
        outbox.closeWhenFlushed(closes::incrementAndGet);
        assertEquals(1, readyQueue.size(), "the close runs on a sender, after what is queued");
        assertFalse(outbox.drain(16));
        assertEquals(1, closes.get());
    }

    @Test
    void aFailedOutboxNeverRunsTheClose() {
        AtomicInteger closes = new AtomicInteger();
        Outbox outbox = new Outbox(10, frame -> {
            throw new IOException("reset");
        }, readyQueue::add, failures);
        outbox.offer("a");
        outbox.closeWhenFlushed(closes::incrementAndGet);
        outbox.drain(16);
        assertFalse(outbox.drain(16));
        assertEquals(0, closes.get(), "the socket is gone; whoever closes it is the failure handler");
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
