package io.roomcast.room;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.protocol.CloseCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The live messages a joining member receives while its history read is under way, bounded
 * like an outbox: a member whose buffer overflows is closed as a slow consumer. Used under its
 * {@link RoomState}'s lock only.
 */
final class CatchUp {

    final RoomState room;
    final RoomMember member;
    final Since since;
    private final int max;
    private final List<Envelope> buffered = new ArrayList<>();
    private boolean overflowed;

    CatchUp(RoomState room, RoomMember member, Since since, int max) {
        this.room = room;
        this.member = member;
        this.since = since;
        this.max = max;
    }

    void buffer(Envelope envelope) {
        if (overflowed) {
            return;
        }
        if (buffered.size() >= max) {
            overflowed = true;
            buffered.clear();
            member.disconnect(CloseCode.SLOW_CONSUMER);
            return;
        }
        buffered.add(envelope);
    }

    /**
     * Delivers the buffered messages the history read did not cover: offsets above its top, or
     * every message when history is off (offset 0); a message of another epoch (the history was
     * lost during the join) is delivered rather than dropped.
     */
    void flush(History read) {
        for (Envelope envelope : buffered) {
            if (envelope.offset() == 0 || envelope.offset() > read.top() || !envelope.epoch().equals(read.epoch())) {
                member.deliver(envelope.frame(), envelope.acceptedAtMicros());
            }
        }
        buffered.clear();
    }

    boolean overflowed() {
        return overflowed;
    }
}
