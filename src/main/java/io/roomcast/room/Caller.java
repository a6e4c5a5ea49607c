package io.roomcast.room;

import java.util.Set;

/**
 * Who is acting: a WebSocket connection's identity or an HTTP caller.
 *
 * @param name   the identity written as {@code from}; never chosen by the client
 * @param groups the identity's groups, for room access rules (empty without authentication)
 */
public record Caller(String name, Set<String> groups) {

    public Caller {
        groups = Set.copyOf(groups);
    }

    public static Caller anonymous(String name) {
        return new Caller(name, Set.of());
    }
}
