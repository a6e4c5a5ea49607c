package io.roomcast.bus;

import java.time.Duration;
import java.util.List;

/**
 * Where the nodes of a cluster announce themselves: each node writes its stats every few
 * seconds with an expiry, so a node that dies drops out of {@link #announcements()} on its
 * own. The in-memory implementation knows no other node and returns nothing. The directory also
 * holds the key the nodes share for actions between them.
 */
public interface NodeDirectory {

    /**
     * Records {@code stats} (a JSON object) as {@code nodeId}'s latest, for {@code ttl}. Called
     * from a scheduler thread; may block up to the bus's timeout.
     *
     * @throws BusUnavailableException when the directory cannot be written now
     */
    void announce(String nodeId, String stats, Duration ttl);

    /**
     * The latest stats of every node whose announcement has not expired, this node's included
     * when it has announced. Called from request threads; may block up to the bus's timeout.
     *
     * @throws BusUnavailableException when the directory cannot be read now
     */
    List<String> announcements();

    /**
     * The cluster key every node shares ({@code security/ClusterKey}): {@code proposal} is stored
     * if the directory holds no key yet, and the stored key is returned, so all nodes end up with
     * the same one. The in-memory directory (one node) keeps {@code proposal}. Called from a
     * scheduler thread; may block up to the bus's timeout. Implementations never log the key.
     *
     * @throws BusUnavailableException when the directory cannot be read or written now
     */
    String sharedKey(String proposal);
}
