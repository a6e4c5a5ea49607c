package io.roomcast.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} must do, whatever keeps it: the in-memory store and the
 * Redis store both extend this.
 */
public abstract class PresenceStoreContract {

    /** A store with nothing in it. */
    protected abstract PresenceStore store();

    private static PresenceEntry entry(String room, String session, String user) {
        return new PresenceEntry(room, "node-a", session, user);
    }

    @Test
    void countsConnectionsAndDistinctUsers() {
        PresenceStore store = store();
        assertEquals(1, store.add(entry("chat", "s1", "ann")));
        assertEquals(2, store.add(entry("chat", "s2", "ann")));
        assertEquals(3, store.add(entry("chat", "s3", "bob")));
        store.add(entry("other", "s1", "ann"));
        PresenceSnapshot chat = store.read("chat", 100);
        assertEquals(3, chat.count());
        assertEquals(2, chat.users());
        assertEquals(Set.of("s1", "s2", "s3"), chat.members().stream().map(PresenceEntry::session).collect(Collectors.toSet()));
        assertEquals(Set.of(entry("chat", "s3", "bob")),
                chat.members().stream().filter(m -> m.user().equals("bob")).collect(Collectors.toSet()), "entries read back whole");
    }

    @Test
    void eachChangeIsReportedOnce() {
        PresenceStore store = store();
        assertEquals(1, store.add(entry("chat", "s1", "ann")));
        assertEquals(-1, store.add(entry("chat", "s1", "ann")), "a second add changes nothing");
        assertEquals(0, store.remove(entry("chat", "s1", "ann"), true));
        assertEquals(-1, store.remove(entry("chat", "s1", "ann"), true), "a second remove changes nothing");
    }

    @Test
    void aUserLeavesTheUserCountWithTheirLastConnection() {
        PresenceStore store = store();
        store.add(entry("chat", "s1", "ann"));
        store.add(entry("chat", "s2", "ann"));
        store.remove(entry("chat", "s1", "ann"), false);
        assertEquals(1, store.read("chat", 100).users());
        store.remove(entry("chat", "s2", "ann"), true);
        assertEquals(new PresenceSnapshot(0, 0, List.of()), store.read("chat", 100));
    }

    @Test
    void readListsAtMostTheLimitButCountsAll() {
        PresenceStore store = store();
        for (int i = 0; i < 250; i++) {
            store.add(entry("big", "s" + i, "u" + i % 100));
        }
        PresenceSnapshot big = store.read("big", 100);
        assertEquals(250, big.count());
        assertEquals(100, big.users());
        assertEquals(100, big.members().size());
    }

    @Test
    void entriesOfANodeSpanItsRoomsAndNoOtherNodes() {
        PresenceStore store = store();
        String odd = "node*[1]?|x";
        store.add(new PresenceEntry("a", odd, "s1", "ann"));
        store.add(new PresenceEntry("b", odd, "s2", "ann"));
        store.add(new PresenceEntry("a", "node71|x", "s3", "bob"));
        store.add(new PresenceEntry("a", "node*[1]?", "s4", "bob"));
        assertEquals(Set.of(new PresenceEntry("a", odd, "s1", "ann"), new PresenceEntry("b", odd, "s2", "ann")),
                Set.copyOf(store.entriesOf(odd)));
        store.forget(odd);
        assertEquals(false, store.deadNodes("node71|x", java.time.Duration.ZERO).contains(odd),
                "nothing to sweep of a forgotten node");
    }

    @Test
    void aChangeSaysWhetherAnyNodeWatchesTheRoom() {
        PresenceStore store = store();
        PresenceEntry ann = new PresenceEntry("watched", "node-a", "s1", "ann");
        assertEquals(new PresenceWrite(1, false), store.change(ann, true, true), "nobody watches yet");
        PresenceEntry cy = new PresenceEntry("watched", "node-b", "s3", "cy");
        store.add(cy);
        store.watching("watched", "node-b", true); // cy joined with presence:true
        PresenceEntry bob = new PresenceEntry("watched", "node-a", "s2", "bob");
        assertEquals(new PresenceWrite(3, true), store.change(bob, true, false));
        store.remove(cy, false); // node b died: a survivor sweeps it
        store.forget("node-b");
        assertEquals(new PresenceWrite(1, false), store.change(bob, false, false), "node b's watching went with it");
        store.watching("watched", "node-a", true);
        assertEquals(new PresenceWrite(0, false), store.change(ann, false, true),
                "the node's last leave ends its own watching: no watcher is left");
    }
}
