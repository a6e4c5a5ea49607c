package io.roomcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void percentilesUseTheNearestRank() {
        Samples samples = new Samples();
        for (long v = 100; v >= 1; v--) {
            samples.add(v);
        }
        assertEquals(50, samples.percentile(50));
        assertEquals(99, samples.percentile(99));
        assertEquals(100, samples.percentile(100));
        assertEquals(1, samples.percentile(0));
    }

    @Test
    void anEmptySetReportsZero() {
        assertEquals(0, new Samples().percentile(99));
    }
}
