package io.roomcast.bus;

import java.time.Duration;
import java.util.List;

/**
 * Where presence lives: in memory with the in-memory bus, in Redis with the Redis bus, so that
 * every node reads the same counts. Chosen with the bus by {@link MessageBusProducer}.
 *
 * <p>One node calls the writing methods from one thread at a time, in the order of the changes
 * it saw; reads may come from the same thread. Every method may block up to the bus's timeout
 * and throws {@link BusUnavailableException} when the store cannot be reached.
 */
public interface PresenceStore {

    /**
     * Records {@code entry}; returns the room's connection count afterwards, or {@code -1} when
     * the entry was there already (so that each change is reported once).
     */
    long add(PresenceEntry entry);

    /**
     * Removes {@code entry}; returns the room's connection count afterwards, or {@code -1} when
     * the entry was not there (already removed, e.g. by another node's sweep).
     *
     * @param lastOfNode true when the entry's node has no other connection left in the room
     */
    long remove(PresenceEntry entry, boolean lastOfNode);

    /**
     * A node's own join or leave: like {@link #add} or {@link #remove}, and says whether the room
     * is watched ({@link #watching}), so that the node sends its event only then.
     *
     * @param onlyOfNode the node's first connection in the room (a join) or its last (a leave):
     *                   only then does the store record or drop the node's room, so a join into a
     *                   room the node is in already costs one write
     */
    default PresenceWrite change(PresenceEntry entry, boolean joined, boolean onlyOfNode) {
        return new PresenceWrite(joined ? add(entry) : remove(entry, onlyOfNode), true);
    }

    /**
     * Records that {@code node} has connections watching {@code room}'s events (its first
     * watcher came) or no longer has (its last one went). Idempotent. A node's last leave of a
     * room and {@link #forget} also end it.
     */
    default void watching(String room, String node, boolean watched) {
    }

    /** Counts of {@code room} and at most {@code limit} of its members. */
    PresenceSnapshot read(String room, int limit);

    /**
     * Marks {@code node} alive for {@code ttl}. Returns false when its previous mark was gone
     * (it expired, or the store lost it): the node's own entries may be gone too and must be
     * written again.
     */
    boolean markAlive(String node, Duration ttl);

    /**
     * Nodes other than {@code self} that have entries but no alive mark, and have had none for
     * at least {@code grace} since they last wrote an entry into a room new to them (a node that
     * starts writing again after a Redis restart gets {@code grace} to mark itself alive).
     */
    List<String> deadNodes(String self, Duration grace);

    /** Every entry of {@code node}, in every room. */
    List<PresenceEntry> entriesOf(String node);

    /** Drops what the store keeps about {@code node} once its entries are removed. */
    void forget(String node);
}
