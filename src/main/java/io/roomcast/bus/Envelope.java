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
 *                  handed unchanged to every member; when history is on, the bus has spliced
 *                  the {@code offset} and {@code epoch} onto it ({@link #positioned})
 * @param offset    the message's place in its room's history, from 1 in each epoch; 0 while
 *                  the bus has not assigned one yet or history is off
 * @param epoch     names the room's history the offset belongs to; null when {@code offset} is 0
 */
public record Envelope(int version, String origin, String room, String publisher, long acceptedAtMicros, String frame,
                       long offset, String epoch) {

    /** The format this release writes (2: offset and epoch travel with the message). */
    public static final int CURRENT_VERSION = 2;

    /** A message as the publishing node hands it to the bus: no offset yet. */
    public Envelope(int version, String origin, String room, String publisher, long acceptedAtMicros, String frame) {
        this(version, origin, room, publisher, acceptedAtMicros, frame, 0, null);
    }

    /**
     * This message at {@code offset} of {@code epoch}: the frame gains
     * {@code ,"offset":N,"epoch":"E"} before its closing brace (the frame is a JSON object encoded
     * by this server, so its last character is that brace; epochs are generated without
     * characters that need escaping). No re-parse; one string copy.
     */
    public Envelope positioned(long offset, String epoch) {
        return new Envelope(version, origin, room, publisher, acceptedAtMicros, withPosition(frame, offset, epoch), offset,
                epoch);
    }

    /**
     * {@code frame} with {@code ,"offset":N,"epoch":"E"} spliced in before its closing brace. The
     * Redis publish script splices the same text (bus.redis.RoomHistory): change both together.
     */
    public static String withPosition(String frame, long offset, String epoch) {
        return frame.substring(0, frame.length() - 1) + ",\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}";
    }
}
