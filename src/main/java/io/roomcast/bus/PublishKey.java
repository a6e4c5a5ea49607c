package io.roomcast.bus;

/**
 * A publish's idempotency key (contract section 7) with the id of the message it names, so that
 * the bus can answer a repeated key with the first message's id.
 *
 * @param key       the publisher's key, 1 to {@link #MAX_LENGTH} characters (checked by the room layer)
 * @param messageId the id of the message published under it
 */
public record PublishKey(String key, String messageId) {

    /** The contract's longest key. */
    public static final int MAX_LENGTH = 64;
}
