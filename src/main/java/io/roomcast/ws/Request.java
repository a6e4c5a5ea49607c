package io.roomcast.ws;

import io.roomcast.bus.HistoryQuery;
import io.roomcast.room.Since;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * A validated client request.
 *
 * @param type    one of {@code join}, {@code leave}, {@code publish}, {@code history}, {@code ping},
 *                {@code presence}, {@code refresh}
 * @param ref     the client's correlation string, or null
 * @param room    a valid room id for every type but ping and refresh; null for those
 * @param data    the published value for publish; the token (a string) for refresh; null otherwise
 * @param since   a join's {@code since}, or null
 * @param history what a history request reads; null for other types
 * @param presence for join: whether the connection wants the room's presence events
 * @param key     for publish: the idempotency key (1 to 64 characters), or null
 */
record Request(String type, String ref, String room, JsonValue data, Since since, HistoryQuery history,
               boolean presence, String key) {

    Request(String type, String ref, String room, JsonValue data) {
        this(type, ref, room, data, null, null, false, null);
    }

    /** A refresh's token. */
    String token() {
        return ((JsonString) data).getString();
    }
}
