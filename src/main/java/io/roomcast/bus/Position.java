package io.roomcast.bus;

/**
 * Where a message landed in its room's history: what a publish completes with.
 *
 * @param offset the message's offset, from 1 in each epoch; 0 when history is off
 * @param epoch  the room's history the offset belongs to; null when history is off
 */
public record Position(long offset, String epoch) {

    /** What a bus without history answers. */
    public static final Position NONE = new Position(0, null);
}
