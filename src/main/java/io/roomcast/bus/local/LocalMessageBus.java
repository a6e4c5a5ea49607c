package io.roomcast.bus.local;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusListener;
import io.roomcast.bus.BusMetrics;
import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.Position;
import io.roomcast.bus.PublishKey;
import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The single-node bus: publishing calls the listener directly on the publisher's thread.
 * With history on, each room has a {@link RoomLog}; offset, append and the hand-off to the
 * listener happen under that log's lock (the hand-off only offers to outboxes), which gives
 * every room one total order. With history off, per-publisher order holds because one publisher
 * publishes from one thread at a time. There is nothing to subscribe to; the registry already
 * drops messages for empty rooms.
 *
 * <p>Dead logs (no publish for the ttl) are swept by whichever publish or read comes first
 * after each sweep interval, so idle rooms free their memory without a thread of their own.
 */
@ApplicationScoped
@BusImplementation("local")
public class LocalMessageBus implements MessageBus {

    private static final BusHealth HEALTH = new BusHealth(true, "memory", "up");
    private final Map<String, RoomLog> logs = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepNanos = new AtomicLong();
    private volatile BusListener listener = envelope -> { };
    private BusMetrics metrics = BusMetrics.NONE;
    private int size;
    private int maxKeys;
    private long ttlNanos;
    private LongSupplier clock = System::nanoTime;

    /** For CDI. */
    protected LocalMessageBus() {
    }

    @Inject
    public LocalMessageBus(RoomcastConfig config) {
        this(config.historySize(), config.historyKeysPerRoom(), config.historyTtl().toNanos(), System::nanoTime);
    }

    /**
     * @param maxKeys idempotency keys kept per room ({@code roomcast.history.keys-per-room})
     * @param clock   nanoTime, replaceable in tests that let history expire
     */
    public LocalMessageBus(int historySize, int maxKeys, long ttlNanos, LongSupplier clock) {
        this.size = historySize;
        this.maxKeys = maxKeys;
        this.ttlNanos = ttlNanos;
        this.clock = clock;
        nextSweepNanos.set(clock.getAsLong() + sweepInterval());
    }

    @Inject
    void reportTo(BusMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void start(BusListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String room) {
        return CompletableFuture.completedFuture(null); // every published message is already local
    }

    @Override
    public void unsubscribe(String room) {
        // Nothing was subscribed.
    }

    @Override
    public CompletionStage<Position> publish(Envelope envelope, PublishKey key) {
        metrics.published();
        if (size == 0) {
            metrics.received();
            listener.onMessage(envelope);
            return CompletableFuture.completedFuture(Position.NONE);
        }
        return CompletableFuture.completedFuture(underLog(envelope.room(), (log, now) -> {
            if (log.expired(now)) {
                return null;
            }
            Position first = log.duplicate(key);
            if (first != null) {
                return first; // the key was published already: nothing stored or delivered again
            }
            Envelope appended = log.append(envelope, key, now);
            metrics.received();
            listener.onMessage(appended);
            return new Position(appended.offset(), appended.epoch());
        }));
    }

    @Override
    public CompletionStage<History> history(String room, HistoryQuery query) {
        if (size == 0) {
            return CompletableFuture.completedFuture(History.NONE);
        }
        if (!query.join()) { // anyone's read: never creates a log, so naming rooms fills no memory
            sweepWhenDue();
            RoomLog log = logs.get(room);
            History read = null;
            if (log != null) {
                synchronized (log) {
                    read = log.read(query, clock.getAsLong());
                }
            }
            return CompletableFuture.completedFuture(read != null ? read : RoomLog.empty());
        }
        return CompletableFuture.completedFuture(underLog(room, (log, now) -> log.read(query, now)));
    }

    /** Runs {@code step} under the room's live log; a dead log is replaced and the step retried. */
    private <T> T underLog(String room, LogStep<T> step) {
        sweepWhenDue();
        while (true) {
            long now = clock.getAsLong();
            RoomLog log = logs.computeIfAbsent(room, r -> new RoomLog(size, maxKeys, ttlNanos, now));
            synchronized (log) {
                T result = step.apply(log, now);
                if (result != null) {
                    return result;
                }
            }
            logs.remove(room, log);
        }
    }

    private interface LogStep<T> {
        /** Null when the log is dead. */
        T apply(RoomLog log, long nowNanos);
    }

    /** At most once per interval, on one caller: drops the logs whose ttl has passed. */
    private void sweepWhenDue() {
        long now = clock.getAsLong();
        long due = nextSweepNanos.get();
        if (now - due < 0 || !nextSweepNanos.compareAndSet(due, now + sweepInterval())) {
            return;
        }
        logs.forEach((room, log) -> {
            synchronized (log) {
                if (log.expired(now)) {
                    logs.remove(room, log);
                }
            }
        });
    }

    private long sweepInterval() {
        return Math.max(1, Math.min(ttlNanos, 60_000_000_000L));
    }

    /** Rooms whose history is held in memory (for tests). */
    int retainedRooms() {
        return logs.size();
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
