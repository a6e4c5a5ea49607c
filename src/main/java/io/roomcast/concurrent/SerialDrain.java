package io.roomcast.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A lock-free queue that producers never wait on and that at most {@code maxDrainers} threads
 * (usually one) drain at a time: the "flag + queue + re-check" hand-off, written once.
 *
 * <p>The protocol, for every user:
 * <pre>{@code
 * if (drain.offer(item) && drain.claim()) { start a drainer (this thread, or startOn(executor, ...)) }
 *
 * // the drainer:
 * do {
 *     while ((item = drain.poll()) != null) { handle(item); }
 * } while (drain.release());
 * }</pre>
 * No wake-up is lost: a producer whose {@link #claim} fails saw a drainer counted in, and that
 * drainer looks at the queue again after it counts itself out ({@link #release}); if an item
 * arrived in between it claims the drain back and goes on.
 *
 * <p>A drainer that never calls {@link #release} keeps the drain claimed for ever: that is how
 * a user stops all further draining (a failed outbox). Queue operations are safe from any
 * thread; {@link #release} only from a thread that holds a claim. No allocation beyond the
 * queue's own node per item, no lock: {@code ws.Outbox} uses it once per frame.
 *
 * @param <T> the queued items
 */
public final class SerialDrain<T> {

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger drainers = new AtomicInteger();
    private final int capacity;
    private final int maxDrainers;

    /** One drainer at a time, at most {@code capacity} items waiting. */
    public SerialDrain(int capacity) {
        this(capacity, 1);
    }

    /**
     * @param capacity items that may wait ({@link Integer#MAX_VALUE}: unbounded)
     * @param maxDrainers threads that may drain at once (1 keeps the items' order)
     */
    public SerialDrain(int capacity, int maxDrainers) {
        if (capacity < 1 || maxDrainers < 1) {
            throw new IllegalArgumentException("capacity and maxDrainers must be positive");
        }
        this.capacity = capacity;
        this.maxDrainers = maxDrainers;
    }

    /** Queues {@code item}; false (nothing queued) when {@code capacity} items wait already. */
    public boolean offer(T item) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.add(item);
        return true;
    }

    /**
     * Counts the caller in as a drainer if fewer than {@code maxDrainers} are; true means it
     * must now drain, or hand the drain to a thread that will, until {@link #release} lets it go.
     */
    public boolean claim() {
        // A plain read first: a failing compare-and-set still costs a locked instruction.
        for (int running = drainers.get(); running < maxDrainers; running = drainers.get()) {
            if (drainers.compareAndSet(running, running + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The next item, or null when none waits. */
    public T poll() {
        T item = queue.poll();
        if (item != null) {
            size.decrementAndGet();
        }
        return item;
    }

    /** Up to {@code max} items in queue order; empty when none waits. */
    public List<T> poll(int max) {
        List<T> batch = new ArrayList<>(Math.min(max, 16));
        T item;
        while (batch.size() < max && (item = poll()) != null) {
            batch.add(item);
        }
        return batch;
    }

    /** Drops every waiting item (a failed or closed user takes nothing more). */
    public void clear() {
        while (poll() != null) {
            // dropped
        }
    }

    /** Items waiting (an estimate while producers and drainers run). */
    public int size() {
        return size.get();
    }

    /**
     * For a drainer that found the queue empty: counts it out. True when an item arrived after
     * its last {@link #poll} and it claimed the drain again, so it must go on; false when it is
     * done (the drain idle, or another drainer has the item).
     */
    public boolean release() {
        return release(() -> false);
    }

    /**
     * {@link #release} for users with work besides the queue (a ping, a close to run):
     * {@code otherWork} is read after the caller counted out, like the queue, so a request
     * made while it was draining is not lost either.
     */
    public boolean release(BooleanSupplier otherWork) {
        drainers.decrementAndGet();
        boolean more = !queue.isEmpty() || otherWork.getAsBoolean();
        return more && claim();
    }

    /**
     * For a caller that {@link #claim claimed}: runs {@code drainer} on {@code executor}. When
     * the executor refuses (it is shutting down: {@link java.util.concurrent.RejectedExecutionException}
     * or a container's own exception) the claim is given up and every item waiting
     * is handed to {@code refused}, which must complete or drop them; nobody would drain them.
     */
    public void startOn(Executor executor, Runnable drainer, BiConsumer<List<T>, RuntimeException> refused) {
        try {
            executor.execute(drainer);
        } catch (RuntimeException e) { // RejectedExecutionException, or a managed executor's own
            drainers.decrementAndGet();
            refused.accept(poll(Integer.MAX_VALUE), e);
        }
    }
}
