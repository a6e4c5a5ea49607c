package io.roomcast.bus.redis;

import java.util.Collection;
import java.util.Locale;

/**
 * The bus state in one word, from every shard subscriber: {@code closed}; else the worst
 * subscriber state ({@code reconnecting}, {@code connecting}); else {@code unverified} while a
 * probe is outstanding or missed; else {@code connected}, the only state readiness takes as UP.
 * A room following its moved slot does not count, nor does a shard new to this node (a room
 * moved or joined there) until its first probe came back or its first connection failed: Redis
 * is reachable, and a reshard must not take nodes out of a load balancer. Cached state only, no
 * I/O: read by every health probe.
 */
final class SubscriptionHealth {

    private SubscriptionHealth() {
    }

    static String state(boolean closed, Collection<Subscriber> subscribers) {
        if (closed) {
            return "closed";
        }
        if (subscribers.isEmpty()) {
            return "connecting";
        }
        Subscriber.State worst = Subscriber.State.CONNECTED;
        boolean verified = true;
        boolean anyEverVerified = subscribers.stream().anyMatch(Subscriber::everVerified);
        for (Subscriber subscriber : subscribers) {
            if (anyEverVerified && !subscriber.everVerified() && subscriber.state() != Subscriber.State.RECONNECTING) {
                continue; // a new shard's first connection or probe under way
            }
            Subscriber.State state = subscriber.state();
            if (state != Subscriber.State.CONNECTED && (worst == Subscriber.State.CONNECTED || state == Subscriber.State.RECONNECTING)) {
                worst = state;
            }
            verified &= subscriber.verified();
        }
        if (worst != Subscriber.State.CONNECTED) {
            return worst.name().toLowerCase(Locale.ROOT);
        }
        return verified ? "connected" : "unverified";
    }
}
