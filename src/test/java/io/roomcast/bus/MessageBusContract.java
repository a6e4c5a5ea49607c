package io.roomcast.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageBus} must do, seen from the room layer. Each implementation's test
 * extends this class and says how to make a started bus for one node.
 */
public abstract class MessageBusContract {

    protected static final Duration WAIT = Duration.ofSeconds(10);
    private final List<MessageBus> buses = new ArrayList<>();

    /** A started bus for node {@code nodeId}, healthy, delivering to {@code listener}. */
    protected abstract MessageBus startBus(String nodeId, BusListener listener) throws Exception;

    protected final MessageBus bus(String nodeId, BusListener listener) throws Exception {
        MessageBus bus = startBus(nodeId, listener);
        buses.add(bus);
        return bus;
    }

    @AfterEach
    void closeBuses() {
        buses.forEach(MessageBus::close);
    }

    protected static Envelope envelope(String origin, String room, String publisher, int n) {
        return new Envelope(Envelope.CURRENT_VERSION, origin, room, publisher, 1_000_000L + n,
                "{\"type\":\"message\",\"room\":\"" + room + "\",\"data\":" + n + "}");
    }

    @Test
    void subscribedRoomReceivesThePublishedEnvelopeUnchanged() throws Exception {
        BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
        MessageBus bus = bus("node-a", received::add);
        bus.subscribe("lobby");
        Envelope sent = envelope("node-a", "lobby", "p1", 1);
        bus.publish(sent).toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(sent, received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(bus.health().up(), bus.health().toString());
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        MessageBus bus = bus("node-a", e -> { });
        bus.close(); // the registry closes the bus it started
        bus.close(); // and the container destroys the bean
    }

    @Test
    void concurrentPublishersEachKeepTheirOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 300;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(publishers * perPublisher);
        MessageBus bus = bus("node-a", e -> {
            seen.computeIfAbsent(e.publisher(), p -> new ArrayList<>()).add((int) (e.acceptedAtMicros() - 1_000_000L));
            all.countDown();
        });
        bus.subscribe("order");
        ExecutorService threads = Executors.newFixedThreadPool(publishers);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                String publisher = "pub-" + p;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; n < perPublisher; n++) {
                        bus.publish(envelope("node-a", "order", publisher, n));
                    }
                }, threads));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(all.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "every message arrived: " + all.getCount() + " missing");
        } finally {
            threads.shutdownNow();
        }
        List<Integer> expected = java.util.stream.IntStream.range(0, perPublisher).boxed().toList();
        seen.forEach((publisher, order) -> assertEquals(expected, order, publisher + " kept its order"));
        assertEquals(publishers, seen.size());
    }
}
