package io.roomcast.config;

/**
 * Per-caller limits of the HTTP API ({@code roomcast.http.rate.*}); a rate of 0 turns that limit
 * off.
 *
 * @param publishesPerSecond HTTP publishes a second per caller, and the burst
 * @param readsPerSecond     history and presence reads a second per caller, and the burst
 * @param maxCallers         callers a node tracks at once per limit (bounds its memory)
 */
public record HttpLimits(int publishesPerSecond, int readsPerSecond, int maxCallers) {

    static HttpLimits read(RoomcastConfig.ConfigReader read) {
        return new HttpLimits(read.nonNegativeInt("roomcast.http.rate.publishes-per-second", 50),
                read.nonNegativeInt("roomcast.http.rate.reads-per-second", 50),
                read.positiveInt("roomcast.http.rate.max-callers", 10_000));
    }
}
