package io.roomcast.room;

/**
 * Where a rejoining client left a room: the last offset it received and the epoch it belongs to
 * ({@code join}'s {@code since}, contract section 7).
 */
public record Since(long offset, String epoch) {
}
