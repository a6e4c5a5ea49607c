package io.roomcast.ws;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one way frames reach a client: a bounded queue drained by one asynchronous send at a
 * time. Producers (any thread) never block; a client that reads too slowly fills its queue and
 * is reported through {@code onOverflow} once, instead of making memory grow or stalling the
 * threads that deliver to everyone else.
 */
final class Outbox {

    /** Sends one text frame asynchronously and reports the outcome (null when it was sent). */
    interface Sender {
        void send(String frame, Consumer<Throwable> done);
    }

    /** Marks that the close after the flush has already run. */
    private static final Runnable DONE = () -> { };

    private final Queue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicReference<Runnable> whenFlushed = new AtomicReference<>();
    private final int limit;
    private final Sender sender;
    private final Consumer<Throwable> onFailure;

    /**
     * @param limit     frames that may wait; one more fails the outbox
     * @param onFailure called once, with null on overflow or the send error otherwise
     */
    Outbox(int limit, Sender sender, Consumer<Throwable> onFailure) {
        this.limit = limit;
        this.sender = sender;
        this.onFailure = onFailure;
    }

    /**
     * Queues a frame; false (and the failure reported) when the queue is full or failed, or
     * false without a failure once {@link #closeWhenFlushed} was called.
     */
    boolean offer(String frame) {
        if (failed.get() || whenFlushed.get() != null) {
            return false;
        }
        if (queued.incrementAndGet() > limit) {
            queued.decrementAndGet();
            fail(null);
            return false;
        }
        queue.add(frame);
        if (sending.compareAndSet(false, true)) {
            sendQueued();
        }
        return true;
    }

    /**
     * Takes no more frames and runs {@code close} (once, on whichever thread sends the last
     * frame, or on this one if nothing is queued) after every frame already queued was sent.
     * A failure of the outbox before that means {@code close} never runs.
     */
    void closeWhenFlushed(Runnable close) {
        if (whenFlushed.compareAndSet(null, close) && sending.compareAndSet(false, true)) {
            sendQueued();
        }
    }

    int size() {
        return queued.get();
    }

    /**
     * Sends frames one after another while this thread owns {@code sending}. A send that
     * completes on the calling thread continues this loop instead of recursing, so a fast
     * client cannot grow the stack; one that completes later continues from its callback.
     */
    private void sendQueued() {
        while (true) {
            String frame = queue.poll();
            if (frame == null) {
                if (runCloseIfFlushed()) {
                    return; // keep `sending` set: nothing more goes out
                }
                sending.set(false);
                // A producer (or closeWhenFlushed) may have come after poll() but before the
                // flag was cleared, and found it still set.
                boolean moreToDo = !queue.isEmpty() || whenFlushed.get() != null;
                if (!moreToDo || !sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            queued.decrementAndGet();
            if (failed.get()) {
                return; // keep `sending` set: nothing more goes out
            }
            AtomicBoolean handedOver = new AtomicBoolean();
            sender.send(frame, error -> {
                if (error != null) {
                    fail(error);
                } else if (!handedOver.compareAndSet(false, true)) {
                    sendQueued(); // completed after send() returned: continue from here
                }
            });
            if (!handedOver.compareAndSet(false, true)) {
                continue; // completed inside send(): continue the loop
            }
            return;
        }
    }

    /** Runs the pending close once; true when a close was requested (nothing more goes out). */
    private boolean runCloseIfFlushed() {
        Runnable close = whenFlushed.get();
        if (close == null) {
            return false;
        }
        if (close != DONE && whenFlushed.compareAndSet(close, DONE) && !failed.get()) {
            close.run();
        }
        return true;
    }

    private void fail(Throwable error) {
        if (failed.compareAndSet(false, true)) {
            queue.clear();
            onFailure.accept(error);
        }
    }
}
