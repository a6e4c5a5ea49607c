package io.roomcast.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.bus.PresenceEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PresenceEventsTest {

    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private final PresenceEvents events = new PresenceEvents(scheduled::add,
            (room, changes) -> changes.forEach(c -> sent.add(room + " " + (c.joined() ? "+" : "-") + c.entry().session())));

    private static PresenceEntry member(String room, String session) {
        return new PresenceEntry(room, "node-a", session, "user-" + session);
    }

    private void flushWindow() {
        assertEquals(1, scheduled.size(), "one flush per window");
        scheduled.remove(0).run();
    }

    @Test
    void changesOfOneWindowGoOutTogetherInOrderOfArrival() {
        events.joined(member("chat", "s1"));
        events.joined(member("chat", "s2"));
        events.left(member("chat", "s3"));
        assertEquals(List.of(), sent, "nothing before the window ends");
        flushWindow();
        assertEquals(List.of("chat +s1", "chat +s2", "chat -s3"), sent);
    }

    @Test
    void aJoinAndItsLeaveWithinOneWindowCancelOut() {
        events.joined(member("chat", "s1"));
        events.joined(member("chat", "s2"));
        events.left(member("chat", "s1"));
        flushWindow();
        assertEquals(List.of("chat +s2"), sent);
    }

    @Test
    void aLeaveAndARejoinWithinOneWindowCancelOut() {
        events.left(member("chat", "s1"));
        events.joined(member("chat", "s1"));
        events.joined(member("chat", "s2"));
        flushWindow();
        assertEquals(List.of("chat +s2"), sent);
    }

    @Test
    void joinLeaveJoinWithinOneWindowIsOneJoin() {
        events.joined(member("chat", "s1"));
        events.left(member("chat", "s1"));
        events.joined(member("chat", "s1"));
        flushWindow();
        assertEquals(List.of("chat +s1"), sent);
    }

    @Test
    void aFloodOfJoinAndLeavePairsSendsNothing() {
        for (int i = 0; i < 10_000; i++) {
            events.joined(member("chat", "s" + i));
            events.left(member("chat", "s" + i));
        }
        scheduled.forEach(Runnable::run);
        assertEquals(List.of(), sent);
    }

    @Test
    void roomsAreBatchedApartAndTheNextWindowStartsWithTheNextChange() {
        events.joined(member("a", "s1"));
        events.joined(member("b", "s2"));
        flushWindow();
        assertEquals(2, sent.size());
        assertEquals(List.of(), scheduled, "no flush while nothing waits");
        events.left(member("a", "s1"));
        flushWindow();
        assertEquals("a -s1", sent.get(2));
    }
}
