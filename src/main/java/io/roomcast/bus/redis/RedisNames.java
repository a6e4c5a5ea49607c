package io.roomcast.bus.redis;

/**
 * Every Redis channel and key Roomcast uses, built by one method so that the naming scheme
 * lives in one place: {@code roomcast:room:<room>} (a room's messages),
 * {@code roomcast:node:<node id>} (the node's own probe channel) and
 * {@code roomcast:heartbeat:<node id>} (a node's announced stats, with an expiry).
 */
final class RedisNames {

    private static final String PREFIX = "roomcast:";
    private static final String ROOM = "room";

    private RedisNames() {
    }

    static String roomChannel(String room) {
        return name(ROOM, room);
    }

    static String nodeChannel(String nodeId) {
        return name("node", nodeId);
    }

    static String heartbeatKey(String nodeId) {
        return name("heartbeat", nodeId);
    }

    /** A {@code SCAN MATCH} pattern for every heartbeat key. */
    static String heartbeatPattern() {
        return name("heartbeat", "*");
    }

    /** The room of a room channel, or null for any other channel. */
    static String roomOf(String channel) {
        String roomPrefix = name(ROOM, "");
        return channel.startsWith(roomPrefix) ? channel.substring(roomPrefix.length()) : null;
    }

    private static String name(String kind, String id) {
        return PREFIX + kind + ":" + id;
    }
}
