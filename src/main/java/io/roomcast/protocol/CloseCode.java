package io.roomcast.protocol;

/**
 * The contract's WebSocket close codes (PROTOCOL.md section 1), each with the reason the
 * server sends. Reasons stay well under the 123-byte limit of a close frame.
 */
public enum CloseCode {
    /** The node is draining or stopping. Reconnect (to any node) with jittered backoff. */
    GOING_AWAY(1001, "Server shutting down, please reconnect"),
    /**
     * Nothing, not even a pong, came back within the ping timeout. Usually
     * nobody reads it (the peer is gone); a live client reconnects as after a drain.
     */
    UNRESPONSIVE(1001, "No reply to ping, please reconnect"),
    /** The client sent a binary frame; only JSON text frames are accepted. Do not retry as is. */
    BINARY_NOT_ACCEPTED(1003, "Binary frames are not accepted"),
    /** Authentication failed, the token expired, or the Origin is not allowed. */
    POLICY_VIOLATION(1008, "Not allowed"),
    /** No valid identity (missing, invalid or rejected token; untrusted proxy). Get a new credential first. */
    NOT_AUTHENTICATED(1008, "Authentication required or failed"),
    /** The connection's token expired while it was open. Reconnect with a fresh token. */
    TOKEN_EXPIRED(1008, "Token expired"),
    /** The page's Origin is not in roomcast.allowed-origins. Do not retry. */
    ORIGIN_NOT_ALLOWED(1008, "Origin not allowed"),
    /**
     * The client address already has roomcast.max-connections-per-address connections here. A
     * policy refusal, not a capacity one: reconnecting helps only after closing another connection.
     */
    TOO_MANY_FROM_ADDRESS(1008, "Too many connections from this address"),
    /**
     * An operator disconnected this session from the admin console. Same code as a refused
     * identity: the client should not reconnect by itself.
     */
    KICKED(1008, "Disconnected by an administrator"),
    /** A frame was larger than roomcast.max-message-bytes. */
    TOO_BIG(1009, "Frame too large"),
    /** The node is at roomcast.max-connections. Try again later, ideally another node. */
    AT_CAPACITY(1013, "Server at capacity"),
    /**
     * The client read too slowly and its send queue filled up. Also 1013 ("try again later"):
     * reconnecting is the right reaction, and the client has already lost messages.
     */
    SLOW_CONSUMER(1013, "Send queue overflow: client too slow");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
