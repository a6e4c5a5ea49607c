package io.roomcast.bus.local;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.NodeDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** One node knows no other: announcements go nowhere, and the cluster is this node alone. */
@ApplicationScoped
@BusImplementation("local")
public class LocalNodeDirectory implements NodeDirectory {

    @Override
    public void announce(String nodeId, String stats, Duration ttl) {
        // Nobody else could read it.
    }

    @Override
    public List<String> announcements() {
        return List.of();
    }

    @Override
    public String sharedKey(String proposal) {
        return proposal;
    }
}
