package io.roomcast.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Checks every received room message against what was published: loss, duplicates, order
 * per publisher, and latency from the publish's scheduled time to receipt (same-node and
 * cross-node apart). Each receiver is fed by its own connection only, so it needs no lock.
 *
 * <p>Published {@code data} is {@code "PUBLISHER.SEQ.NANOS."} padded with {@code x} to the
 * payload size; NANOS is the generator's {@link System#nanoTime()} at the scheduled send time,
 * so a generator that falls behind shows up as latency instead of hiding it.
 */
final class Tally {

    private static final long QUIET_NANOS = 3_000_000_000L;

    private final int[] publisherNode;
    private final List<Receiver> receivers = new ArrayList<>();
    private final LongAdder progress = new LongAdder();
    private volatile long measureFromNanos = Long.MAX_VALUE;

    Tally(int[] publisherNode) {
        this.publisherNode = publisherNode;
    }

    static String publishFrame(String room, int publisher, long seq, long nanos, int payload) {
        StringBuilder data = new StringBuilder(payload + 64).append(publisher).append('.').append(seq)
                .append('.').append(nanos).append('.');
        while (data.length() < payload) {
            data.append('x');
        }
        return "{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":\"" + data + "\"}";
    }

    /** Latency samples are kept only for messages scheduled from now on (after warm-up). */
    void measureFrom(long nanos) {
        measureFromNanos = nanos;
    }

    /** A receiver for a member on {@code node} of a room whose publishers are {@code publishers}. */
    synchronized Receiver receiver(int node, int[] publishers) {
        Receiver receiver = new Receiver(node, publishers);
        receivers.add(receiver);
        return receiver;
    }

    /** One member's view of its room's publishers. */
    final class Receiver {
        private final int node;
        private final int[] publishers;
        private final long[] maxSeq;
        private final BitSet[] seen;
        final Samples sameNode = new Samples();
        final Samples crossNode = new Samples();
        long received;
        long duplicates;
        long reordered;
        long foreign;

        private Receiver(int node, int[] publishers) {
            this.node = node;
            this.publishers = publishers;
            this.maxSeq = new long[publishers.length];
            this.seen = new BitSet[publishers.length];
            for (int i = 0; i < publishers.length; i++) {
                seen[i] = new BitSet();
                maxSeq[i] = -1;
            }
        }

        /** Synchronized only for visibility: one connection feeds it, {@link #totals()} reads it. */
        synchronized void onMessage(CharSequence frame) {
            long now = System.nanoTime();
            progress.increment();
            String text = frame.toString();
            int at = text.indexOf("\"data\":\"");
            int p1 = text.indexOf('.', at);
            int p2 = text.indexOf('.', p1 + 1);
            int p3 = text.indexOf('.', p2 + 1);
            if (at < 0 || p3 < 0) {
                foreign++;
                return;
            }
            int publisher = Integer.parseInt(text, at + 8, p1, 10);
            long seq = Long.parseLong(text, p1 + 1, p2, 10);
            long sentAt = Long.parseLong(text, p2 + 1, p3, 10);
            int slot = slotOf(publisher);
            if (slot < 0) {
                foreign++;
                return;
            }
            received++;
            if (seen[slot].get((int) seq)) {
                duplicates++;
                return;
            }
            seen[slot].set((int) seq);
            if (seq < maxSeq[slot]) {
                reordered++;
            }
            maxSeq[slot] = Math.max(maxSeq[slot], seq);
            if (sentAt >= measureFromNanos) {
                (publisherNode[publisher] == node ? sameNode : crossNode).add((now - sentAt) / 1_000);
            }
        }

        private int slotOf(int publisher) {
            for (int i = 0; i < publishers.length; i++) {
                if (publishers[i] == publisher) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Frames received so far. */
    long receivedSoFar() {
        return progress.sum();
    }

    /** Waits until {@code expected} frames arrived, or none arrived for 3 s (the rest are lost). */
    void awaitAll(long expected) {
        long last = -1;
        long quietSince = System.nanoTime();
        while (receivedSoFar() < expected && System.nanoTime() - quietSince < QUIET_NANOS) {
            long now = receivedSoFar();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            LockSupport.parkNanos(20_000_000L); // polling counters fed by many connections
        }
    }

    /** Totals over all receivers; call once receiving has stopped. */
    synchronized Totals totals() {
        Totals t = new Totals();
        for (Receiver r : receivers) {
            synchronized (r) {
                t.add(r);
            }
        }
        t.all.addAll(t.sameNode);
        t.all.addAll(t.crossNode);
        return t;
    }

    /** Sums of all receivers; latencies in microseconds. */
    static final class Totals {
        long received;
        long duplicates;
        long reordered;
        long foreign;
        final Samples sameNode = new Samples();
        final Samples crossNode = new Samples();
        final Samples all = new Samples();

        private void add(Receiver r) {
            received += r.received;
            duplicates += r.duplicates;
            reordered += r.reordered;
            foreign += r.foreign;
            sameNode.addAll(r.sameNode);
            crossNode.addAll(r.crossNode);
        }
    }
}
