package io.roomcast.ws;

/**
 * The send pool's limits, from {@code roomcast.send.*}.
 *
 * @param threads           senders writing to clients
 * @param stallMillis       how long one turn of writes to one client may block before that
 *                          client is closed as a slow consumer
 * @param maxStalledThreads senders blocked on stalled clients kept at once beyond {@code threads}
 */
record SendSettings(int threads, long stallMillis, int maxStalledThreads) {
}
