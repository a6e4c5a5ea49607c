package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seam between a member's history read and the live messages, when the read runs ahead of
 * the room's subscription (Redis answers the read on another connection than the subscriber's).
 */
@Timeout(10)
class RoomStateTest {

    private static final MembershipObserver NOBODY = new MembershipObserver() {
        @Override
        public void joined(RoomMember member, String room) {
        }

        @Override
        public void left(RoomMember member, String room) {
        }
    };

    private final RoomState state = new RoomState("seam", 100, NOBODY);
    private final RoomRegistryTest.RecordingMember member = new RoomRegistryTest.RecordingMember("m");

    @Test
    void liveMessagesTheReadAlreadyCoveredAreNotDeliveredAgain() {
        deliver(1, "e");
        join(new History("e", 4, 2, List.of(frame(2), frame(3), frame(4))), new Since(1, "e"));
        deliver(2, "e"); // the subscriber is behind the read: these three were in the replay
        deliver(3, "e");
        deliver(4, "e");
        deliver(5, "e");
        deliver(6, "e");
        assertEquals(List.of(frame(2), frame(3), frame(4), frame(5), frame(6)), member.messages());
    }

    @Test
    void aFirstJoinGetsOnlyMessagesAfterTheOffsetItsJoinedNamed() {
        join(new History("e", 7, 1, List.of()), null);
        deliver(6, "e");
        deliver(7, "e");
        deliver(8, "e");
        assertEquals(List.of(frame(8)), member.messages());
    }

    @Test
    void aSubscriptionAlreadyPastTheReadDeliversEverythingNewer() {
        deliver(5, "e");
        join(new History("e", 5, 1, List.of()), null);
        deliver(6, "e");
        assertEquals(List.of(frame(6)), member.messages());
    }

    @Test
    void aMessageOfANewEpochIsDeliveredEvenWithALowerOffset() {
        join(new History("old", 9, 1, List.of()), null);
        deliver(1, "new");
        deliver(2, "new");
        assertEquals(List.of(frame(1), frame(2)), member.messages());
    }

    private void join(History read, Since since) {
        CatchUp catchUp = state.startCatchUp(member, since);
        state.finishCatchUp(catchUp, read, joined -> member.send("joined"));
    }

    private void deliver(long offset, String epoch) {
        state.deliver(new Envelope(Envelope.CURRENT_VERSION, "node", "seam", "p", 0, frame(offset), offset, epoch));
    }

    private static String frame(long offset) {
        return "{\"type\":\"message\",\"offset\":" + offset + "}";
    }
}
