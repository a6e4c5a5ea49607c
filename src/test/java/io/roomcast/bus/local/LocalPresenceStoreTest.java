package io.roomcast.bus.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LocalPresenceStoreTest {

    private final LocalPresenceStore store = new LocalPresenceStore();

    private static PresenceEntry entry(String room, String session, String user) {
        return new PresenceEntry(room, "node-a", session, user);
    }

    @Test
    void countsConnectionsAndDistinctUsers() {
        assertEquals(1, store.add(entry("chat", "s1", "ann")));
        assertEquals(2, store.add(entry("chat", "s2", "ann")));
        assertEquals(3, store.add(entry("chat", "s3", "bob")));
        store.add(entry("other", "s1", "ann"));
        PresenceSnapshot chat = store.read("chat", 100);
        assertEquals(3, chat.count());
        assertEquals(2, chat.users());
        assertEquals(Set.of("s1", "s2", "s3"), chat.members().stream().map(PresenceEntry::session).collect(Collectors.toSet()));
    }

    @Test
    void eachChangeIsReportedOnce() {
        assertEquals(1, store.add(entry("chat", "s1", "ann")));
        assertEquals(-1, store.add(entry("chat", "s1", "ann")), "a second add changes nothing");
        assertEquals(0, store.remove(entry("chat", "s1", "ann"), true));
        assertEquals(-1, store.remove(entry("chat", "s1", "ann"), true), "a second remove changes nothing");
    }

    @Test
    void aUserLeavesTheUserCountWithTheirLastConnection() {
        store.add(entry("chat", "s1", "ann"));
        store.add(entry("chat", "s2", "ann"));
        store.remove(entry("chat", "s1", "ann"), false);
        assertEquals(1, store.read("chat", 100).users());
        store.remove(entry("chat", "s2", "ann"), true);
        assertEquals(new PresenceSnapshot(0, 0, List.of()), store.read("chat", 100));
    }

    @Test
    void readListsAtMostTheLimitButCountsAll() {
        for (int i = 0; i < 250; i++) {
            store.add(entry("big", "s" + i, "u" + i));
        }
        PresenceSnapshot big = store.read("big", 100);
        assertEquals(250, big.count());
        assertEquals(250, big.users());
        assertEquals(100, big.members().size());
    }

    @Test
    void entriesOfANodeSpanItsRooms() {
        store.add(entry("a", "s1", "ann"));
        store.add(entry("b", "s1", "ann"));
        store.add(new PresenceEntry("a", "node-b", "s9", "bob"));
        assertEquals(2, store.entriesOf("node-a").size());
        assertTrue(store.markAlive("node-a", Duration.ofSeconds(5)));
        assertEquals(List.of(), store.deadNodes("node-a"));
    }
}
