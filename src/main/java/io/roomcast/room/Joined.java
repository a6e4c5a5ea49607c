package io.roomcast.room;

/**
 * What a {@code joined} reply says about the room's history.
 *
 * @param offset    the room's latest offset when the member started receiving (0 if none or history off)
 * @param epoch     the room's epoch; null when history is off
 * @param recovered null for a join without {@code since}; else whether every missed message follows
 */
public record Joined(long offset, String epoch, Boolean recovered) {
}
