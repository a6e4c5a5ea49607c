package io.roomcast.admin;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pushes the cluster snapshot ({@code event: cluster}, data {@code {"ts":..,"nodes":[..]}}) to
 * every open admin console once a second. One scheduled task serves all consoles and runs only
 * while at least one is connected; a console that goes away is dropped by the broadcaster on
 * its next failed send. At most {@link #MAX_SUBSCRIBERS} consoles, so a leaking client cannot
 * pile up open streams.
 */
@ApplicationScoped
public class ClusterEvents {

    static final int MAX_SUBSCRIBERS = 50;
    private static final Logger LOG = Logger.getLogger(ClusterEvents.class.getName());

    private final Set<SseEventSink> open = ConcurrentHashMap.newKeySet();
    private SseBroadcaster broadcaster;
    private Sse sse;
    private ScheduledFuture<?> ticker;

    @Inject
    ClusterView cluster;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Adds a console; false (and the sink untouched) when {@link #MAX_SUBSCRIBERS} are open. */
    public synchronized boolean subscribe(SseEventSink sink, Sse sse) {
        open.removeIf(SseEventSink::isClosed);
        if (open.size() >= MAX_SUBSCRIBERS) {
            return false;
        }
        if (broadcaster == null) {
            this.sse = sse;
            broadcaster = sse.newBroadcaster();
            broadcaster.onClose(open::remove);
            broadcaster.onError((gone, error) -> {
                open.remove(gone);
                LOG.log(Level.FINE, "Admin event stream ended", error);
            });
        }
        open.add(sink);
        broadcaster.register(sink);
        sink.send(snapshotEvent()); // the console shows data at once, not after the first tick
        if (ticker == null) {
            ticker = scheduler.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        }
        return true;
    }

    private void tick() {
        try {
            open.removeIf(SseEventSink::isClosed);
            if (!open.isEmpty()) {
                broadcaster.broadcast(snapshotEvent());
            }
        } catch (RuntimeException e) {
            // One bad snapshot must not cancel the schedule for every later one.
            LOG.log(Level.WARNING, "Cluster snapshot failed", e);
        }
    }

    private OutboundSseEvent snapshotEvent() {
        JsonArrayBuilder nodes = Json.createArrayBuilder();
        cluster.nodes().forEach(nodes::add);
        String data = Json.createObjectBuilder().add("ts", System.currentTimeMillis()).add("nodes", nodes).build().toString();
        return sse.newEventBuilder().name("cluster").data(data).build();
    }

    @PreDestroy
    synchronized void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (broadcaster != null) {
            broadcaster.close();
        }
    }
}
