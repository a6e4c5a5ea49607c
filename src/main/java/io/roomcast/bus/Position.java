package io.roomcast.bus;

/**
 * Where a message landed in its room's history: what a publish completes with.
 *
 * @param offset      the message's offset, from 1 in each epoch; 0 when history is off
 * @param epoch       the room's history the offset belongs to; null when history is off
 * @param duplicateOf null for a message the bus stored and delivered; for a publish whose
 *                    {@link PublishKey#key() key} the room already had (contract section 7,
 *                    idempotent publish), the id of that first message, which {@code offset} and
 *                    {@code epoch} then locate: nothing was stored or delivered again
 */
public record Position(long offset, String epoch, String duplicateOf) {

    /** What a bus without history answers. */
    public static final Position NONE = new Position(0, null);

    /** A message the bus stored and delivered. */
    public Position(long offset, String epoch) {
        this(offset, epoch, null);
    }

    /** True when the publish repeated a key: nothing new was stored or delivered. */
    public boolean duplicate() {
        return duplicateOf != null;
    }
}
