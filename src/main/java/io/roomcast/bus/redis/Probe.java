package io.roomcast.bus.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Proves one shard's bus path end to end: it publishes a numbered probe on the node's probe
 * channel of that shard through the publishing pool and expects it back on the shard's
 * subscriber connection. A connection
 * can look open while it receives nothing (a half-dead socket, a failover that lost the
 * subscriptions); only a probe that went all the way round shows the node is not deaf.
 *
 * <p>{@link #tick} runs on one scheduler thread; {@link #received} on the subscriber thread.
 */
final class Probe {

    private final LongConsumer send;
    private final Runnable onMissed;
    private final long timeoutNanos;
    private volatile long sentSeq;
    private volatile long sentAtNanos;
    private volatile long receivedSeq;
    private volatile boolean healthy;
    // Completed when a probe next comes back; replaced once that happened and the path is lost again.
    private CompletableFuture<Void> nextProof = new CompletableFuture<>();

    /**
     * @param interval how often {@link #tick} runs
     * @param timeout  how long a probe may take; a busy node's pause is not a deaf subscriber
     */
    record Timing(Duration interval, Duration timeout) {
    }

    /**
     * @param send     publishes the probe with the given number
     * @param onMissed called once per missed probe (the subscriber connects again)
     */
    Probe(LongConsumer send, Runnable onMissed, Timing timing) {
        this.send = send;
        this.onMissed = onMissed;
        this.timeoutNanos = Math.max(timing.interval().multipliedBy(2).toNanos(), timing.timeout().toNanos());
    }

    /** True only while the last probe came back in time. */
    boolean healthy() {
        return healthy;
    }

    /**
     * Completes once a probe has come back (at once while healthy), so that a room on a shard
     * new to this node is not reported joined before the shard's path is proven.
     */
    synchronized CompletableFuture<Void> proven() {
        return nextProof;
    }

    /** Periodic check: declares an overdue probe missed, or sends the next one. */
    void tick() {
        if (receivedSeq < sentSeq) {
            if (System.nanoTime() - sentAtNanos > timeoutNanos) {
                unproven();
                receivedSeq = sentSeq; // count each loss once; the next tick probes afresh
                onMissed.run();
            }
            return;
        }
        sendNext();
    }

    /** The subscriber connection ended: unproven until a probe comes back on the next one. */
    void lost() {
        unproven();
    }

    /** After a (re)connection: unproven until a probe comes back; probe at once. */
    void restart() {
        unproven();
        sendNext();
    }

    /** The subscriber received probe {@code seq} on the node channel. */
    void received(long seq) {
        CompletableFuture<Void> proof;
        synchronized (this) {
            if (seq != sentSeq) {
                return;
            }
            receivedSeq = seq;
            healthy = true;
            proof = nextProof;
        }
        proof.complete(null); // outside the lock: waiters continue on this thread
    }

    private synchronized void unproven() {
        healthy = false;
        if (nextProof.isDone()) {
            nextProof = new CompletableFuture<>();
        }
    }

    /** Numbers the probe under the lock and publishes outside it: {@link #received} must not wait for Redis. */
    private void sendNext() {
        long seq;
        synchronized (this) {
            seq = sentSeq + 1;
            sentAtNanos = System.nanoTime();
            sentSeq = seq;
        }
        send.accept(seq);
    }
}
