package io.roomcast.protocol;

/**
 * The contract's {@code error} codes (PROTOCOL.md section 1). The connection stays open after
 * every one of them.
 */
public enum ErrorCode {
    /** The frame is not a JSON object. Fix the client; retrying the same frame fails again. */
    BAD_JSON("bad_json"),
    /** A required field is missing or has the wrong type, or {@code ref} is too long. Not retryable. */
    BAD_REQUEST("bad_request"),
    /** {@code type} is not one the server knows. Not retryable. */
    UNKNOWN_TYPE("unknown_type"),
    /** The room id breaks the room-id rule. Not retryable. */
    BAD_ROOM("bad_room"),
    /** Publish to, or leave, a room the connection has not joined. Join first. */
    NOT_MEMBER("not_member"),
    /** The connection is already in {@code roomcast.max-rooms-per-connection} rooms. Leave one first. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** Faster than {@code roomcast.rate.messages-per-second}; the frame was dropped. Retry later. */
    RATE_LIMITED("rate_limited"),
    /** The identity may not join or publish to that room. Not retryable. */
    FORBIDDEN("forbidden"),
    /**
     * A {@code refresh} whose token does not verify (invalid, expired, unsigned, another issuer
     * or audience); the connection keeps its identity. Get a new token, then refresh again.
     */
    BAD_TOKEN("bad_token"),
    /** The room belongs to another shard; connect to the URL in the error. */
    WRONG_SHARD("wrong_shard"),
    /**
     * The bus cannot take the message now, or could not confirm it: a publish may or may not have
     * been stored and delivered. Retry with backoff, with the same idempotency key (contract
     * section 7), which never duplicates.
     */
    UNAVAILABLE("unavailable");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as written on the wire. */
    public String wire() {
        return wire;
    }
}
