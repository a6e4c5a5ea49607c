package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A client socket that completes sends only when the test says so. */
    private static final class ManualSender implements Outbox.Sender {
        final List<String> sent = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();

        @Override
        public synchronized void send(String frame, Consumer<Throwable> done) {
            sent.add(frame);
            pending.add(done);
        }

        void completeNext() {
            Consumer<Throwable> done;
            synchronized (this) {
                done = pending.remove(0);
            }
            done.accept(null);
        }
    }

    @Test
    void sendsOneFrameAtATimeInOrder() {
        ManualSender socket = new ManualSender();
        Outbox outbox = new Outbox(10, socket, e -> { });
        outbox.offer("a");
        outbox.offer("b");
        outbox.offer("c");
        assertEquals(List.of("a"), socket.sent, "the next send waits for the previous one");
        socket.completeNext();
        socket.completeNext();
        socket.completeNext();
        assertEquals(List.of("a", "b", "c"), socket.sent);
        assertEquals(0, outbox.size());
    }

    @Test
    void overflowReportsOnceAndDropsTheQueue() {
        ManualSender stuck = new ManualSender();
        AtomicInteger overflows = new AtomicInteger();
        AtomicReference<Throwable> reported = new AtomicReference<>(new Throwable("not called"));
        Outbox outbox = new Outbox(3, stuck, e -> {
            overflows.incrementAndGet();
            reported.set(e);
        });
        assertTrue(outbox.offer("in flight"));
        assertTrue(outbox.offer("1"));
        assertTrue(outbox.offer("2"));
        assertTrue(outbox.offer("3"));
        assertFalse(outbox.offer("4"), "the fourth waiting frame overflows");
        assertFalse(outbox.offer("5"));
        assertEquals(1, overflows.get());
        assertNull(reported.get(), "overflow is reported as null, not as a send error");
        stuck.completeNext();
        assertEquals(List.of("in flight"), stuck.sent, "nothing more is sent after a failure");
    }

    @Test
    void sendErrorIsReported() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        IllegalStateException broken = new IllegalStateException("reset");
        Outbox outbox = new Outbox(3, (frame, done) -> done.accept(broken), reported::set);
        outbox.offer("a");
        assertEquals(broken, reported.get());
        assertFalse(outbox.offer("b"));
    }

    @Test
    void sendsThatCompleteInlineDoNotGrowTheStack() {
        List<String> sent = new ArrayList<>();
        int[] depth = {0};
        int[] maxDepth = {0};
        Outbox[] holder = new Outbox[1];
        holder[0] = new Outbox(200_000, (frame, done) -> {
            depth[0]++;
            maxDepth[0] = Math.max(maxDepth[0], depth[0]);
            sent.add(frame);
            if (sent.size() == 1) {
                for (int i = 0; i < 100_000; i++) {
                    holder[0].offer("queued-" + i); // arrives while the first send is in progress
                }
            }
            done.accept(null);
            depth[0]--;
        }, e -> { });
        holder[0].offer("first");
        assertEquals(100_001, sent.size());
        assertEquals(1, maxDepth[0], "each send starts from the same loop, not from the previous callback");
    }

    @Test
    void concurrentProducersLoseNothing() throws Exception {
        List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        Outbox outbox = new Outbox(1_000_000, (frame, done) -> {
            sent.add(frame);
            done.accept(null);
        }, e -> { });
        int threads = 4;
        int each = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread producer = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    outbox.offer(id + ":" + i);
                }
            });
            producer.start();
            producers.add(producer);
        }
        start.countDown();
        for (Thread producer : producers) {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(threads * each, sent.size());
        for (int t = 0; t < threads; t++) {
            int id = t;
            List<Integer> order = sent.stream().filter(s -> s.startsWith(id + ":"))
                    .map(s -> Integer.parseInt(s.substring(s.indexOf(':') + 1))).toList();
            for (int i = 0; i < each; i++) {
                assertEquals(i, order.get(i), "per-producer order");
            }
        }
    }

    @Test
    void closeWhenFlushedWaitsForQueuedFramesThenClosesOnceAndTakesNoMore() {
        ManualSender socket = new ManualSender();
        AtomicInteger closes = new AtomicInteger();
        Outbox outbox = closingAfter(socket, closes, "a", "b");
        assertFalse(outbox.offer("late"), "nothing is queued after the close was asked for");
        assertEquals(0, closes.get(), "frames are still queued");
        socket.completeNext();
        assertEquals(0, closes.get());
        socket.completeNext();
        assertEquals(1, closes.get(), "closed after the last queued frame was sent");
        assertEquals(List.of("a", "b"), socket.sent);
        outbox.closeWhenFlushed(closes::incrementAndGet);
        assertEquals(1, closes.get(), "a second request does nothing");
    }

    @Test
    void closeWhenFlushedOnAnIdleOutboxClosesAtOnce() {
        Outbox outbox = new Outbox(10, new ManualSender(), e -> { });
        AtomicInteger closes = new AtomicInteger();
        outbox.closeWhenFlushed(closes::incrementAndGet);
        assertEquals(1, closes.get());
    }

    @Test
    void aFailedOutboxNeverRunsTheClose() {
        ManualSender socket = new ManualSender();
        AtomicInteger closes = new AtomicInteger();
        closingAfter(socket, closes, "a");
        Consumer<Throwable> done = socket.pending.remove(0);
        done.accept(new java.io.IOException("reset"));
        assertEquals(0, closes.get(), "the socket is gone; whoever closes it is the failure handler");
    }

    /** An outbox with {@code frames} queued and a close (counted in {@code closes}) requested. */
    private static Outbox closingAfter(ManualSender socket, AtomicInteger closes, String... frames) {
        Outbox outbox = new Outbox(10, socket, e -> { });
        for (String frame : frames) {
            outbox.offer(frame);
        }
        outbox.closeWhenFlushed(closes::incrementAndGet);
        return outbox;
    }
}
