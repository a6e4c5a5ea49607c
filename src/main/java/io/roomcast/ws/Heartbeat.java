package io.roomcast.ws;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomMember;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds dead peers: a client that vanished without closing (a phone that lost its network, a
 * host that crashed) sends no FIN, and in a quiet room nothing is ever written to it, so TCP
 * never notices and the connection would keep its slot and memory for good. Every
 * {@code roomcast.heartbeat.interval-ms} each connection is checked: one silent since the last
 * check gets a WebSocket ping, which every conforming client answers by itself, and one still
 * silent {@code roomcast.heartbeat.timeout-ms} after its ping is closed
 * ({@link ClientConnection#checkAlive}). One node-wide task, not one timer per connection.
 */
@ApplicationScoped
class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    @Inject
    RoomcastConfig config;

    @Inject
    ConnectedMembers connections;

    @Inject
    ConnectionSupport support;

    private Future<?> checks;

    /** Created at start-up, not by the first client, so that the checks always run. */
    void onStart(@Observes Startup startup) {
        // Receiving the event is what creates the bean.
    }

    @PostConstruct
    void start() {
        long interval = config.heartbeatInterval().toMillis();
        if (interval > 0) {
            checks = support.scheduler().scheduleAtFixedRate(this::checkAll, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (checks != null) {
            checks.cancel(false);
        }
    }

    void checkAll() {
        long now = System.nanoTime();
        long timeout = config.heartbeatTimeout().toNanos();
        for (RoomMember member : connections.all()) {
            try {
                if (member instanceof ClientConnection connection) {
                    connection.checkAlive(now, timeout);
                }
            } catch (RuntimeException e) {
                // One connection's failure must not cancel the checks of all the others.
                LOG.log(Level.WARNING, "Heartbeat check of " + member.id() + " failed", e);
            }
        }
    }
}
