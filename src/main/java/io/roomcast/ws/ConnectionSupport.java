package io.roomcast.ws;

import io.roomcast.concurrent.Periodic;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.AddressQuota;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.Future;

/** The node-wide collaborators every connection needs, injected once instead of per connection. */
@ApplicationScoped
class ConnectionSupport {

    /**
     * Threads that close sessions. Liberty's {@code Session.close} waits (up to 8.5 s) for the
     * connection's pending read to be cancelled, and that cancellation completes on Liberty's
     * default executor: closes run on threads of their own so that a thousand of them at once
     * (a drain) can never starve the executor they wait for. Slow closes get extra threads
     * ({@link Closer}).
     */
    private static final int CLOSER_THREADS = 8;

    @Inject
    RoomcastConfig config;

    @Inject
    RoomcastMetrics metrics;

    @Resource
    ManagedThreadFactory threads;

    /** Liberty's managed scheduler: closes connections whose token expires. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    AddressQuota addressQuota;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    private Closer closer;
    private SendPool senders;
    private Future<?> watchdog;
    private Future<?> closerWatchdog;

    /**
     * Created at start-up rather than by the first client, so that the sender threads and the
     * roomcast_send_threads gauge exist from the first scrape on.
     */
    void onStart(@Observes Startup startup) {
        // Receiving the event is what creates the bean.
    }

    @PostConstruct
    void start() {
        closer = new Closer(threads, CLOSER_THREADS, config.closeMaxSlowThreads(), metrics::closeStuck);
        // Guarded: a scheduler ends a periodic task at its first exception, and stall detection with it.
        closerWatchdog = Periodic.atFixedRate(scheduler, "Close watchdog", Closer.CHECK_MILLIS,
                closer::checkForSlowCloses, metrics::watchdogFailed);
        senders = new SendPool(threads, new SendSettings(config.sendThreads(), config.sendStall().toMillis(),
                config.sendMaxStalledThreads()));
        long period = senders.watchdogPeriodMillis();
        watchdog = Periodic.atFixedRate(scheduler, "Send watchdog", period, senders::checkForStalls, metrics::watchdogFailed);
        metrics.sendThreads(senders::liveThreads);
    }

    @PreDestroy
    void stop() {
        watchdog.cancel(false);
        closerWatchdog.cancel(false);
        senders.close();
        closer.close();
    }

    RoomcastConfig config() {
        return config;
    }

    RoomcastMetrics metrics() {
        return metrics;
    }

    ManagedScheduledExecutorService scheduler() {
        return scheduler;
    }

    AddressQuota addressQuota() {
        return addressQuota;
    }

    /** The node's open connections (its capacity). */
    ConnectedMembers connections() {
        return connections;
    }

    RoomRegistry rooms() {
        return rooms;
    }

    /** Writes every connection's frames. */
    SendPool senders() {
        return senders;
    }

    /** Runs closes off the thread that asked for them. */
    Closer closer() {
        return closer;
    }
}
