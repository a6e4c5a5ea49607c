package io.roomcast.bus;

/**
 * What the bus reports to readiness checks and stats.
 *
 * @param up    true when publishes and subscriptions work end to end
 * @param kind  {@code memory}, {@code redis} or {@code redis-cluster}
 * @param state a short word for operators, e.g. {@code connected}, {@code reconnecting}
 */
public record BusHealth(boolean up, String kind, String state) {
}
