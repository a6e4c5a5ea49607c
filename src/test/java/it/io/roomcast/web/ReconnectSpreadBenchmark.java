package it.io.roomcast.web;

import it.io.roomcast.support.Browser;
import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Not part of CI (the name does not end in IT): measures how the client library's full-jitter
 * backoff spreads the reconnects of many clients after a node restart. Run it with
 * {@code mvn verify -Dit.test=ReconnectSpreadBenchmark -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints the delay of each client's reconnect after the node was ready again, as percentiles
 * and as arrivals per second.
 */
class ReconnectSpreadBenchmark {

    /** Chromium allows at most 255 WebSockets per profile; stay well under it. */
    private static final int CLIENTS = 200;

    @Test
    @SuppressWarnings("try") // LibertyNode.close waits for the server to stop; an interrupt there ends the test
    void reconnectsOfManyClientsSpreadOutAfterANodeRestart() throws Exception {
        try (LibertyNode node = LibertyNode.start("reconnect-bench", FreePorts.next(), Map.of());
                Browser page = Browser.open()) {
            page.get(node.http("/"));
            page.awaitState("open", Browser.SLOW_WAIT);
            page.script("""
                    window.reopened = [];
                    window.opened = 0;
                    import('./roomcast.js').then(({ RoomcastClient }) => {
                      for (let i = 0; i < %d; i++) {
                        const client = new RoomcastClient();
                        let first = true;
                        client.on('welcome', () => {
                          if (first) { first = false; window.opened++; } else { window.reopened.push(Date.now()); }
                        });
                        client.connect();
                        client.join('bench');
                      }
                    });""".formatted(CLIENTS));
            page.awaitScript("return window.opened === " + CLIENTS, Browser.SLOW_WAIT);
            long stoppedAt = System.currentTimeMillis();
            node.stop();
            node.launch();
            long readyAt = System.currentTimeMillis();
            System.out.printf("node down (stop to ready): %d ms%n", readyAt - stoppedAt);
            page.awaitScript("return window.reopened.length === " + CLIENTS, Duration.ofSeconds(120));
            @SuppressWarnings("unchecked")
            List<Number> times = (List<Number>) page.script("return window.reopened");
            report(times.stream().mapToLong(t -> Math.max(0, t.longValue() - readyAt)).sorted().toArray());
        }
    }

    private static void report(long[] delays) {
        System.out.printf("reconnect delay after node ready (ms), %d clients: p50 %d, p90 %d, p99 %d, max %d%n",
                delays.length, delays[delays.length / 2], delays[delays.length * 9 / 10],
                delays[delays.length * 99 / 100], delays[delays.length - 1]);
        Map<Long, Integer> perSecond = new TreeMap<>();
        for (long delay : delays) {
            perSecond.merge(delay / 1000, 1, Integer::sum);
        }
        System.out.println("reconnects per second after node ready: " + perSecond);
    }
}
