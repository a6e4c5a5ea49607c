package io.roomcast.security;

/**
 * What authentication may look at in an incoming request, whatever carries it (the WebSocket
 * upgrade or an API call). Implementations are per request and used on its thread only.
 */
public interface CallerRequest {

    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The value of cookie {@code name}, or null. */
    String cookie(String name);

    /** The first value of query parameter {@code name}, or null. */
    String queryParameter(String name);

    /** The address of the TCP peer: the client itself, or the proxy in front of it. */
    String peerAddress();
}
