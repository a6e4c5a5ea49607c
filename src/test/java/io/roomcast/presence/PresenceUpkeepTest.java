package io.roomcast.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.bus.BusHealth;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.local.LocalPresenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PresenceUpkeepTest {

    private final LocalPresenceStore store = new LocalPresenceStore();
    private final List<PresenceEntry> local = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private BusHealth health = new BusHealth(true, "memory", "up");
    private final PresenceUpkeep upkeep = new PresenceUpkeep("node-a", store, localState(),
            (entry, joined, count) -> changes.add((joined ? "+" : "-") + entry.session() + "=" + count), () -> health);

    /** This node's entries: {@code local}; it watches no room. */
    private PresenceUpkeep.Local localState() {
        return new PresenceUpkeep.Local() {
            @Override
            public List<PresenceEntry> entries() {
                return List.copyOf(local);
            }

            @Override
            public Set<String> watchedRooms() {
                return Set.of();
            }
        };
    }

    private static PresenceEntry entry(String session) {
        return new PresenceEntry("chat", "node-a", session, "u-" + session);
    }

    private Set<String> stored() {
        return store.entriesOf("node-a").stream().map(PresenceEntry::session).collect(Collectors.toSet());
    }

    @Test
    void firstTickRemovesEntriesOfAnEarlierRunAndRestoresMissingOnes() {
        store.watching("chat", "node-b", true); // so that repairs are told
        store.add(entry("old"));
        store.add(entry("kept"));
        local.add(entry("kept"));
        local.add(entry("new"));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(Set.of("kept", "new"), stored());
        assertEquals(List.of("-old=1", "+new=2"), changes, "each repair is reported once, as an event would be");
    }

    @Test
    void aSkippedWriteWhileTheBusIsDownIsRepairedByTheNextTick() {
        upkeep.tick(Duration.ofSeconds(5));
        health = new BusHealth(false, "redis", "reconnecting");
        assertEquals(false, upkeep.writable());
        local.add(entry("joined-during-outage"));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(Set.of(), stored(), "nothing is written while the bus is down");
        health = new BusHealth(true, "redis", "connected");
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(Set.of("joined-during-outage"), stored());
    }

    @Test
    void aMarkTheRenewalFoundGoneMakesTheWriterReconcileOnItsNextTwoTicks() {
        boolean[] markFound = {true};
        LocalPresenceStore forgetful = new LocalPresenceStore() {
            @Override
            public boolean markAlive(String node, Duration ttl) {
                return markFound[0];
            }
        };
        PresenceUpkeep upkeep = new PresenceUpkeep("node-a", forgetful, localState(), (e, j, c) -> { }, () -> health);
        upkeep.tick(Duration.ofSeconds(5)); // the start's reconcile
        local.add(entry("a"));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(List.of(), forgetful.entriesOf("node-a"), "no reconcile without a reason");
        markFound[0] = false; // Redis restarted empty, say
        upkeep.renewMark(Duration.ofSeconds(5));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(List.of(entry("a")), forgetful.entriesOf("node-a"));
        forgetful.remove(entry("a"), true); // a survivor still sweeping this node meanwhile
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(List.of(entry("a")), forgetful.entriesOf("node-a"), "the second reconcile repairs what the sweep removed");
    }

    @Test
    void repairsOfARoomNobodyWatchesAreNotTold() {
        store.add(entry("old"));
        local.add(entry("new"));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(Set.of("new"), stored());
        assertEquals(List.of(), changes);
    }

    @Test
    void withNothingToRepairATickChangesNothing() {
        local.add(entry("a"));
        store.add(entry("a"));
        upkeep.tick(Duration.ofSeconds(5));
        upkeep.tick(Duration.ofSeconds(5));
        assertEquals(List.of(), changes);
    }
}
