package it.io.roomcast.support;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code {"seq":i}} messages at a fixed rate over one member connection, each with a
 * {@code ref}, on its own thread; completes with every {@code ack} (id and offset) in order.
 * Bounded in count; a refusal ({@code error}) fails it.
 */
public final class PacedPublisher {

    private PacedPublisher() {
    }

    /** Starts publishing {@code count} messages to {@code room} (already joined) at {@code perSecond}. */
    public static CompletableFuture<List<JsonObject>> start(WsClient client, String room, int count, int perSecond) {
        CompletableFuture<List<JsonObject>> acks = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                acks.complete(publish(client, room, count, perSecond));
            } catch (Throwable e) {
                acks.completeExceptionally(e);
            }
        }, "paced-publisher-" + room);
        thread.setDaemon(true);
        thread.start();
        return acks;
    }

    private static List<JsonObject> publish(WsClient client, String room, int count, int perSecond) throws Exception {
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < count; i++) {
            // Paced by the schedule, not by the previous send: a slow send does not lower the rate.
            LockSupport.parkNanos(start + i * interval - System.nanoTime());
            client.send("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":{\"seq\":" + i + "},\"ref\":\"p" + i + "\"}");
        }
        List<JsonObject> acks = new ArrayList<>(count);
        while (acks.size() < count) {
            JsonObject reply = client.next(f -> "ack".equals(f.getString("type")) || "error".equals(f.getString("type")));
            if (!"ack".equals(reply.getString("type"))) {
                throw new AssertionError("publish refused: " + reply);
            }
            acks.add(reply);
        }
        return acks;
    }
}
