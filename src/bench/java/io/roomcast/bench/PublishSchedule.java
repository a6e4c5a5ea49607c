package io.roomcast.bench;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The fixed-rate publish loop every pass shares: publishers take turns (round robin), each
 * publish carries the time it was due, and the measured part begins when the warm-up's
 * publishes are done. The warm-up runs at its own rate ({@code --warmup-rate}): a low measured
 * rate would otherwise be measured on code the JIT has not compiled yet.
 */
final class PublishSchedule {

    /** Sends one publish frame for {@code publisher} to {@code room}. */
    interface Sender {
        void send(int publisher, String room, String frame) throws IOException;
    }

    private PublishSchedule() {
    }

    /**
     * Publishes for the warm-up plus the measured seconds, calling {@code atMeasureStart}
     * once in between; returns how many publishes were sent.
     */
    static long run(FanoutPass.Plan plan, int publishers, int rooms, Tally tally, Runnable atMeasureStart,
            Sender sender) throws IOException {
        long[] seq = new long[publishers];
        long warmupPublishes = (long) plan.warmupRate() * plan.warmup();
        long total = warmupPublishes + (long) plan.rate() * plan.seconds();
        long start = System.nanoTime() + 50_000_000L;
        long measureStart = start + plan.warmup() * 1_000_000_000L;
        tally.measureFrom(measureStart);
        for (long n = 0; n < total; n++) {
            long due = n < warmupPublishes
                    ? start + (long) (n * 1e9 / plan.warmupRate())
                    : measureStart + (long) ((n - warmupPublishes) * 1e9 / plan.rate());
            long wait = due - System.nanoTime();
            if (wait > 20_000) {
                LockSupport.parkNanos(wait);
            }
            if (n == warmupPublishes) {
                atMeasureStart.run();
            }
            int p = (int) (n % publishers);
            String room = Topology.roomName(p % rooms);
            sender.send(p, room, Tally.publishFrame(room, p, seq[p]++, due, plan.payload()));
        }
        return total;
    }
}
