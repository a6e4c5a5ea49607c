package io.roomcast.bus.local;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusMetrics;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.MessageBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The single-node bus: publishing calls the listener directly on the publisher's thread.
 * Per-publisher order holds because one publisher publishes from one thread at a time.
 * There is nothing to subscribe to; the registry already drops messages for empty rooms.
 */
@ApplicationScoped
@BusImplementation("local")
public class LocalMessageBus implements MessageBus {

    private static final BusHealth HEALTH = new BusHealth(true, "memory", "up");
    private volatile BusListener listener = envelope -> { };
    private BusMetrics metrics = BusMetrics.NONE;

    @Inject
    void reportTo(BusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void start(BusListener listener) {
        this.listener = listener;
    }

    @Override
    public void subscribe(String room) {
        // Every published message is already local.
    }

    @Override
    public void unsubscribe(String room) {
        // Nothing was subscribed.
    }

    @Override
    public CompletionStage<Void> publish(Envelope envelope) {
        metrics.published();
        metrics.received();
        listener.onMessage(envelope);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public BusHealth health() {
        return HEALTH;
    }

    @Override
    public void close() {
        listener = envelope -> { };
    }
}
