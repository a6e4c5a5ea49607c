package io.roomcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

    private static final Duration MIN = Duration.ofMillis(100);

    @Test
    void thousandsOfClientsAreSpreadOverTheWholeWindowAtTheMinimumInterval() {
        BatchPlan plan = BatchPlan.of(10_000, Duration.ofSeconds(15), MIN);
        assertEquals(150, plan.batches());
        assertEquals(67, plan.size());
        assertEquals(MIN, plan.interval());
    }

    @Test
    void fewClientsGetOneBatchEachSpreadOverTheWindow() {
        BatchPlan plan = BatchPlan.of(4, Duration.ofSeconds(2), MIN);
        assertEquals(4, plan.batches());
        assertEquals(1, plan.size());
        assertEquals(Duration.ofMillis(500), plan.interval());
    }

    @Test
    void slicesCoverEveryClientExactlyOnce() {
        List<Integer> clients = IntStream.range(0, 1_003).boxed().toList();
        BatchPlan plan = BatchPlan.of(clients.size(), Duration.ofSeconds(15), MIN);
        List<Integer> closed = new ArrayList<>();
        for (int batch = 0; batch < plan.batches(); batch++) {
            closed.addAll(plan.slice(clients, batch));
        }
        assertEquals(clients, closed);
    }

    @Test
    void noClientsAndAZeroWindowStillMakeAValidPlan() {
        BatchPlan empty = BatchPlan.of(0, Duration.ofSeconds(15), MIN);
        assertEquals(1, empty.batches());
        assertEquals(List.of(), empty.slice(List.of(), 0));
        BatchPlan instant = BatchPlan.of(50, Duration.ZERO, MIN);
        assertEquals(1, instant.batches());
        assertEquals(50, instant.size());
        assertEquals(Duration.ZERO, instant.interval());
    }
}
