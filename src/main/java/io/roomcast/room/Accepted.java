package io.roomcast.room;

/**
 * A message the bus accepted.
 *
 * @param id     its unique id
 * @param offset its offset in the room's history; 0 when history is off
 */
public record Accepted(String id, long offset) {
}
