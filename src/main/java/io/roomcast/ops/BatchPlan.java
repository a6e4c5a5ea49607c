package io.roomcast.ops;

import java.time.Duration;
import java.util.List;

/**
 * How a drain spreads {@code total} closes over a window: as many batches as the window holds
 * at the minimum interval (never more batches than connections), equal in size but the last.
 *
 * @param batches  number of batches, at least 1
 * @param size     connections per batch
 * @param interval time between the starts of two batches
 */
record BatchPlan(int batches, int size, Duration interval) {

    static BatchPlan of(int total, Duration window, Duration minInterval) {
        long fit = Math.max(1, window.toMillis() / Math.max(1, minInterval.toMillis()));
        int batches = (int) Math.max(1, Math.min(total, fit));
        int size = Math.max(1, (total + batches - 1) / batches);
        return new BatchPlan(batches, size, window.dividedBy(batches));
    }

    /** The members closed by batch {@code index} (empty past the end). */
    <T> List<T> slice(List<T> all, int index) {
        int from = Math.min(all.size(), index * size);
        return all.subList(from, Math.min(all.size(), from + size));
    }
}
