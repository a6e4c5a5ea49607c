package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.ws.Liveness.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class LivenessTest {

    private static final long TIMEOUT = 1_000;

    @Test
    void aClientHeardSinceTheLastCheckIsLeftAlone() {
        Liveness liveness = new Liveness();
        assertEquals(Verdict.ALIVE, liveness.check(0, TIMEOUT), "new connections count as heard");
        liveness.heard();
        assertEquals(Verdict.ALIVE, liveness.check(10, TIMEOUT));
    }

    @Test
    void aSilentClientIsPingedOnceThenClosedWhenTheTimeoutPassesWithoutAnswer() {
        Liveness liveness = new Liveness();
        liveness.check(0, TIMEOUT);
        assertEquals(Verdict.PING, liveness.check(100, TIMEOUT));
        assertEquals(Verdict.ALIVE, liveness.check(100 + TIMEOUT - 1, TIMEOUT), "still within the timeout");
        assertEquals(Verdict.DEAD, liveness.check(100 + TIMEOUT, TIMEOUT));
    }

    @Test
    void aPongAfterThePingKeepsTheClientAndTheNextSilenceGetsANewPing() {
        Liveness liveness = new Liveness();
        liveness.check(0, TIMEOUT);
        assertEquals(Verdict.PING, liveness.check(100, TIMEOUT));
        liveness.heard();
        assertEquals(Verdict.ALIVE, liveness.check(100 + 2 * TIMEOUT, TIMEOUT));
        assertEquals(Verdict.PING, liveness.check(100 + 3 * TIMEOUT, TIMEOUT));
    }
}
