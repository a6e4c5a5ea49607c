package io.roomcast.bus;

/**
 * What one presence change did in the store.
 *
 * @param count   the room's connections afterwards; {@code -1} when nothing changed (the entry
 *                was there already, or gone already)
 * @param watched whether any node had a connection watching the room's events when it changed:
 *                when none had, nobody needs the event
 */
public record PresenceWrite(long count, boolean watched) {
}
