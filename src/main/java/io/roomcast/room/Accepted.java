package io.roomcast.room;

/**
 * A publish the bus accepted: what {@code ack} and the HTTP {@code 202} answer.
 *
 * @param id        the message's unique id; for a duplicate, the first message's
 * @param offset    its offset in the room's history; 0 when history is off
 * @param epoch     the history the offset belongs to; null when history is off
 * @param duplicate true when the publish repeated an idempotency key the room already had:
 *                  nothing was stored or delivered again, and id, offset and epoch are the first
 *                  message's
 */
public record Accepted(String id, long offset, String epoch, boolean duplicate) {
}
