package io.roomcast.ws;

import jakarta.json.JsonValue;

/**
 * A validated client request.
 *
 * @param type one of {@code join}, {@code leave}, {@code publish}, {@code ping}, {@code presence}
 * @param ref  the client's correlation string, or null
 * @param room a valid room id for join, leave and publish; null for ping
 * @param data the published value for publish; null otherwise
 * @param presence for join: whether the connection wants the room's presence events
 */
record Request(String type, String ref, String room, JsonValue data, boolean presence) {

    Request(String type, String ref, String room, JsonValue data) {
        this(type, ref, room, data, false);
    }
}
