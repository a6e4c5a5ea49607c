package io.roomcast.room;

import io.roomcast.bus.PublishKey;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;

/**
 * The rule for a publish's idempotency key (contract section 7), the same for the WebSocket
 * {@code key} field and the HTTP {@code Idempotency-Key} header.
 */
public final class IdempotencyKey {

    private IdempotencyKey() {
    }

    /** {@code key} when it is null (none) or 1 to 64 characters; else {@code bad_request}. */
    public static String require(String key) {
        if (key != null && (key.isEmpty() || key.length() > PublishKey.MAX_LENGTH)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "An idempotency key must be 1 to " + PublishKey.MAX_LENGTH + " characters");
        }
        return key;
    }
}
