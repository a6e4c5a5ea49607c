package io.roomcast.ops;

/**
 * The outcome of a drain, as the admin API answers it.
 *
 * @param connections open connections when the drain started
 * @param forced      connections closed without their queue flushed (they stopped reading)
 * @param millis      from the start of the drain to the last connection closed
 */
public record DrainReport(int connections, int forced, long millis) {
}
