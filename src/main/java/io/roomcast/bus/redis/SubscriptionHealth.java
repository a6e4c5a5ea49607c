package io.roomcast.bus.redis;

import java.util.Collection;
import java.util.Locale;

/**
 * The bus state in one word, from every shard subscriber: {@code closed}; else the worst
 * subscriber state ({@code reconnecting}, {@code connecting}); else {@code unverified} while a
 * probe is outstanding or a room moves; else {@code connected}, the only state readiness takes
 * as UP. Cached state only, no I/O: read by every health probe.
 */
final class SubscriptionHealth {

    private SubscriptionHealth() {
    }

    static String state(boolean closed, Collection<Subscriber> subscribers, boolean roomsMoving) {
        if (closed) {
            return "closed";
        }
        if (subscribers.isEmpty()) {
            return "connecting";
        }
        Subscriber.State worst = Subscriber.State.CONNECTED;
        boolean verified = !roomsMoving;
        for (Subscriber subscriber : subscribers) {
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
