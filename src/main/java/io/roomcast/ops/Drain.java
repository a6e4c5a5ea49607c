package io.roomcast.ops;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomMember;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Takes this node out of service without losing accepted messages: readiness turns DOWN at
 * once, new WebSockets are closed with 1001, and open ones are sent what is already queued for
 * them and closed with 1001 ("reconnect") in paced batches spread over the first half of
 * {@code roomcast.shutdown.drain-seconds}, so that thousands of clients do not reconnect to
 * the other nodes in the same second. Whoever has not closed by the end of the drain time
 * (a client that stopped reading) is closed without waiting.
 *
 * <p>A drain happens once per application start and cannot be undone; every caller (admin
 * API, the SIGTERM handler) gets the same outcome. Batches run on the managed scheduler, so
 * no caller's thread is held unless it chooses to wait.
 */
@ApplicationScoped
public class Drain {

    /** Batches are at least this far apart; fewer, larger batches beyond that. */
    static final Duration MIN_BATCH_INTERVAL = Duration.ofMillis(100);

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    private final AtomicReference<CompletableFuture<DrainReport>> outcome = new AtomicReference<>();

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomcastConfig config;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Starts the drain (only the first call does); completes when every connection is closed. */
    public CompletableFuture<DrainReport> start() {
        CompletableFuture<DrainReport> mine = new CompletableFuture<>();
        if (outcome.compareAndSet(null, mine)) {
            connections.stopAccepting();
            scheduleBatches(mine);
        }
        return outcome.get();
    }

    /** True from the first {@link #start} on. */
    public boolean isDraining() {
        return outcome.get() != null;
    }

    /** {@code roomcast.shutdown.drain-seconds}: the longest a drain takes. */
    public Duration drainTime() {
        return config.drainTime();
    }

    /** How long closing is spread: half the drain time, leaving the rest for slow flushes. */
    public Duration closeWindow() {
        return config.drainTime().dividedBy(2);
    }

    private void scheduleBatches(CompletableFuture<DrainReport> done) {
        Instant started = Instant.now();
        List<RoomMember> members = List.copyOf(connections.all());
        BatchPlan plan = BatchPlan.of(members.size(), closeWindow(), MIN_BATCH_INTERVAL);
        LOG.info(() -> "Draining " + members.size() + " connections in " + plan.batches() + " batches over "
                + closeWindow().toMillis() + " ms");
        for (int batch = 0; batch < plan.batches(); batch++) {
            List<RoomMember> slice = plan.slice(members, batch);
            scheduler.schedule(() -> slice.forEach(m -> m.closeWhenFlushed(CloseCode.GOING_AWAY)),
                    plan.interval().toMillis() * batch, TimeUnit.MILLISECONDS);
        }
        // Right after the last batch started: an empty or small node finishes at once instead of
        // sitting out the whole window.
        scheduler.schedule(() -> finish(members.size(), started, done),
                plan.interval().toMillis() * (plan.batches() - 1), TimeUnit.MILLISECONDS);
    }

    /** Closes late arrivals, waits for the flushes until the drain time is up, then forces the rest. */
    private void finish(int atStart, Instant started, CompletableFuture<DrainReport> done) {
        try {
            connections.all().forEach(m -> m.closeWhenFlushed(CloseCode.GOING_AWAY));
            Duration left = config.drainTime().minus(Duration.between(started, Instant.now()));
            int forced = 0;
            if (!connections.awaitEmpty(left.isNegative() ? Duration.ZERO : left)) {
                List<RoomMember> stuck = List.copyOf(connections.all());
                forced = stuck.size();
                stuck.forEach(m -> m.disconnect(CloseCode.GOING_AWAY));
            }
            DrainReport report = new DrainReport(atStart, forced, Duration.between(started, Instant.now()).toMillis());
            LOG.info(() -> "Drain finished: " + report);
            done.complete(report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
    }
}
