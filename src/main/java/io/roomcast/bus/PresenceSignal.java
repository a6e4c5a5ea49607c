package io.roomcast.bus;

import java.util.List;

/**
 * Presence events of one room from one node, on their way to the other nodes. They travel on
 * the room's channel beside its messages, as their own kind of envelope: without an offset,
 * outside the room's message order and history.
 *
 * @param origin the node whose watchers already had these events (it ignores its own signal)
 * @param room   the room id
 * @param frames complete {@code presence_join} / {@code presence_leave} frames, in order
 */
public record PresenceSignal(String origin, String room, List<String> frames) {

    public PresenceSignal {
        frames = List.copyOf(frames);
    }
}
