package io.roomcast.security;

import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address ({@code roomcast.max-connections-per-address}), so that
 * one host cannot take the node's whole capacity. Counts are exact under concurrent connects:
 * each address's count changes under the map's per-key lock, and an address whose count drops to
 * zero is removed, so memory follows the number of connected addresses. Thread-safe.
 */
@ApplicationScoped
public class AddressQuota {

    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    @Inject
    RoomcastConfig config;

    /** Takes a slot for {@code address}; false (nothing taken) when it already has the maximum. */
    public boolean tryAcquire(String address) {
        int max = config.maxConnectionsPerAddress();
        if (max == 0) {
            return true;
        }
        boolean[] taken = new boolean[1];
        open.compute(address, (a, count) -> {
            int current = count == null ? 0 : count;
            taken[0] = current < max;
            return taken[0] ? Integer.valueOf(current + 1) : count;
        });
        return taken[0];
    }

    /** Gives back a slot taken by {@link #tryAcquire}; call exactly once per successful acquire. */
    public void release(String address) {
        if (config.maxConnectionsPerAddress() == 0) {
            return;
        }
        open.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    /** Open connections counted for {@code address}. */
    public int count(String address) {
        return open.getOrDefault(address, 0);
    }
}
