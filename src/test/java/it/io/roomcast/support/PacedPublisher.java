package it.io.roomcast.support;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code {"seq":i}} messages at a fixed rate over one member connection, each with a
 * {@code ref}, on its own thread; {@link #acks()} completes with every {@code ack} (id and
 * offset) in order. Bounded in count; a refusal ({@code error}) fails it. A test can wait for
 * the publisher's own progress ({@link #awaitSent}), which no slow reader can delay.
 */
public final class PacedPublisher {

    private final CompletableFuture<List<JsonObject>> acks = new CompletableFuture<>();
    private int sent;

    private PacedPublisher() {
    }

    /** Starts publishing {@code count} messages to {@code room} (already joined) at {@code perSecond}. */
    public static PacedPublisher start(WsClient client, String room, int count, int perSecond) {
        PacedPublisher publisher = new PacedPublisher();
        Thread thread = new Thread(() -> {
            try {
                publisher.acks.complete(publisher.publish(client, room, count, perSecond));
            } catch (Throwable e) {
                publisher.acks.completeExceptionally(e);
            }
        }, "paced-publisher-" + room);
        thread.setDaemon(true);
        thread.start();
        return publisher;
    }

    /** Every ack, in publish order, once all are in. */
    public CompletableFuture<List<JsonObject>> acks() {
        return acks;
    }

    /** Waits until {@code count} messages have been sent (not necessarily acknowledged yet). */
    public synchronized void awaitSent(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sent < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || acks.isDone()) {
                throw new AssertionError("the publisher sent " + sent + " of " + count + " within " + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private synchronized void sentOne() {
        sent++;
        notifyAll();
    }

    private List<JsonObject> publish(WsClient client, String room, int count, int perSecond) throws Exception {
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < count; i++) {
            // Paced by the schedule, not by the previous send: a slow send does not lower the rate.
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            client.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":{\"seq\":" + i + "},\"ref\":\"p" + i + "\"}");
            sentOne();
        }
        List<JsonObject> received = new ArrayList<>(count);
        while (received.size() < count) {
            JsonObject reply = client.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")));
            if (!"ack".equals(reply.getString("type"))) {
                throw new AssertionError("publish refused: " + reply);
            }
            received.add(reply);
        }
        return received;
    }
}
