package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's verdicts on loss, duplicates and order are what users read; they must be right. */
class TallyTest {

    private static final int PAYLOAD = 64;

    private final Tally tally = new Tally(new int[] {0, 1});
    private final Tally.Receiver sameNode = tally.receiver(0, new int[] {0});

    private static String message(int publisher, long seq, long sentAtNanos) {
        return Tally.publishFrame("r", publisher, seq, sentAtNanos, PAYLOAD)
                .replace("\"type\":\"publish\"", "\"type\":\"message\"");
    }

    @Test
    void messagesInPublishOrderCountOnceWithNoDuplicateOrReorder() {
        for (long seq = 0; seq < 3; seq++) {
            sameNode.onMessage(message(0, seq, System.nanoTime()));
        }
        assertTotals(3, 0, 0);
    }

    @Test
    void aRepeatedMessageIsADuplicateAndALateOneIsReordered() {
        long now = System.nanoTime();
        sameNode.onMessage(message(0, 0, now));
        sameNode.onMessage(message(0, 2, now));
        sameNode.onMessage(message(0, 1, now));
        sameNode.onMessage(message(0, 1, now));
        assertTotals(4, 1, 1);
    }

    private void assertTotals(long received, long duplicates, long reordered) {
        Tally.Totals totals = tally.totals();
        assertEquals(received, totals.received, "received");
        assertEquals(duplicates, totals.duplicates, "duplicates");
        assertEquals(reordered, totals.reordered, "reordered");
    }

    @Test
    void messagesOfAPublisherOutsideTheRoomAreNotCountedAsDeliveries() {
        sameNode.onMessage(message(1, 0, System.nanoTime()));
        assertEquals(0, tally.totals().received);
        assertEquals(1, tally.totals().foreign);
    }

    @Test
    void latencyRunsFromTheScheduledTimeAndOnlyAfterTheWarmUp() {
        long now = System.nanoTime();
        tally.measureFrom(now - 10_000_000L);
        sameNode.onMessage(message(0, 0, now - 20_000_000L)); // scheduled during the warm-up
        sameNode.onMessage(message(0, 1, now - 5_000_000L));
        Tally.Totals totals = tally.totals();
        assertEquals(1, totals.sameNode.size());
        assertTrue(totals.all.percentile(50) >= 5_000, "at least 5 ms in µs");
        assertEquals(0, totals.crossNode.size());
    }

    @Test
    void publishedDataIsPaddedToThePayloadSize() {
        String frame = Tally.publishFrame("r", 0, 0, 0, PAYLOAD);
        String data = frame.substring(frame.indexOf("\"data\":\"") + 8, frame.lastIndexOf('"'));
        assertEquals(PAYLOAD, data.length());
    }
}
