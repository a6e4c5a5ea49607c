package io.roomcast.ops;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Announces this node's stats to the {@link NodeDirectory} every {@link #INTERVAL}, valid for
 * {@link #TTL}: a node that dies or loses Redis drops out of the cluster view within 6 s, while
 * two missed beats in a row are tolerated. Starts with the application.
 */
@ApplicationScoped
public class Heartbeat {

    static final Duration INTERVAL = Duration.ofSeconds(2);
    static final Duration TTL = Duration.ofSeconds(6);
    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    @Inject
    RoomcastConfig config;

    @Inject
    NodeStats stats;

    @Inject
    NodeDirectory directory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> beating;

    void onStart(@Observes Startup startup) {
        beating = scheduler.scheduleAtFixedRate(this::beat, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            directory.announce(config.nodeId(), stats.snapshot().toString(), TTL);
        } catch (BusUnavailableException e) {
            LOG.log(Level.FINE, "Heartbeat not written; the bus health already says why", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Heartbeat failed", e); // keep the schedule alive
        }
    }

    @PreDestroy
    void stop() {
        if (beating != null) {
            beating.cancel(false);
        }
    }
}
