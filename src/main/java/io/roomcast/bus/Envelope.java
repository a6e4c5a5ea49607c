package io.roomcast.bus;

/**
 * One room message as it travels between nodes.
 *
 * @param version   envelope format version, so nodes of different releases can refuse what
 *                  they cannot read instead of misreading it
 * @param origin    id of the node that accepted the message from its publisher
 * @param room      target room id (already validated)
 * @param publisher who sent it: connection or HTTP caller; the bus keeps one publisher's
 *                  messages to one room in order
 * @param acceptedAtMicros epoch microseconds when the origin node accepted it (latency is
 *                  measured from here; the frame's {@code ts} is the same instant in ms)
 * @param frame     the complete {@code message} frame, encoded once by the origin node and
 *                  handed unchanged to every member
 */
public record Envelope(int version, String origin, String room, String publisher, long acceptedAtMicros, String frame) {

    /** The format this release writes. */
    public static final int CURRENT_VERSION = 1;
}
