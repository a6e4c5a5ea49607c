package io.roomcast.bus.redis;

/**
 * Every Redis channel and key Roomcast uses, built here so that the naming scheme lives in one
 * place (contract section 9). Everything of one room carries the room id as a hash tag, so that
 * on a Redis Cluster a room's channel, history and presence share one slot:
 * <ul>
 * <li>{@code roomcast:{<room>}}: the room's messages (channel);</li>
 * <li>{@code roomcast:{<room>}:history}, {@code roomcast:{<room>}:meta}: its history and
 * offset/epoch;</li>
 * <li>{@code roomcast:{<room>}:keys}, {@code roomcast:{<room>}:keys:order}: the idempotency keys
 * of its publishes (key to offset and id, {@code ""} to their epoch) and their order, oldest
 * first;</li>
 * <li>{@code roomcast:{<room>}:presence}: who is in it;</li>
 * <li>{@code roomcast:probe:{<tag>}:<node id>}: a node's probe channel on the shard owning the
 * tag (one per shard it uses; one Redis is one shard);</li>
 * <li>{@code roomcast:{#nodes}:stats} and {@code roomcast:{#nodes}:expiry}: every node's announced
 * stats and when each expires (one hash tag, so one slot; {@code #} is not allowed in room ids,
 * so no room shares it).</li>
 * <li>{@code roomcast:cluster-key}: the key nodes present to each other (no expiry).</li>
 * <li>Presence (docs/presence.md): per room {@code roomcast:{<room>}:presence} (field
 * {@code node|session}, value the user), {@code roomcast:{<room>}:presence:users} (user, its
 * connections) and {@code roomcast:{<room>}:presence:watchers} (the nodes with connections
 * watching its events); {@code roomcast:presence:nodes}, {@code roomcast:presence:rooms:<node id>} and
 * {@code roomcast:presence:alive:<node id>}: the nodes with entries (a hash: node, when it last
 * entered a room), the rooms where each has some, and each node's alive mark, so that
 * survivors remove a dead node's entries.</li>
 * </ul>
 * Room ids cannot contain braces (room id rule), so the tag is always the whole room id.
 */
final class RedisNames {

    private static final String PREFIX = "roomcast:";
    private static final String ROOM_PREFIX = PREFIX + "{";
    private static final String NODES_TAG = PREFIX + "{#nodes}";

    private RedisNames() {
    }

    static String roomChannel(String room) {
        return ROOM_PREFIX + room + "}";
    }

    static String historyKey(String room) {
        return roomChannel(room) + ":history";
    }

    static String metaKey(String room) {
        return roomChannel(room) + ":meta";
    }

    static String publishKeysKey(String room) {
        return roomChannel(room) + ":keys";
    }

    static String publishKeyOrderKey(String room) {
        return publishKeysKey(room) + ":order";
    }

    static String presenceKey(String room) {
        return roomChannel(room) + ":presence";
    }

    /**
     * Node {@code nodeId}'s probe channel on the shard that owns hash tag {@code tag}: the tag
     * comes first, so a node id with braces cannot move it.
     */
    static String probeChannel(String nodeId, String tag) {
        return PREFIX + "probe:{" + tag + "}:" + nodeId;
    }

    /**
     * A name per node, hashed to pick the node's home shard (its subscriber even without rooms),
     * spreading nodes over the shards. No key of this name is written any more: the heartbeats
     * live in {@link #heartbeatStatsKey()}.
     */
    static String heartbeatKey(String nodeId) {
        return name("heartbeat", nodeId);
    }

    /** The key the nodes share for node-to-node admin actions (docs/security.md). */
    static String clusterKey() {
        return PREFIX + "cluster-key";
    }

    /** Node id to its latest announced stats (a hash). */
    static String heartbeatStatsKey() {
        return NODES_TAG + ":stats";
    }

    /** Node id scored by when its announcement expires, in ms on Redis's clock (a sorted set). */
    static String heartbeatExpiryKey() {
        return NODES_TAG + ":expiry";
    }

    /** The room of a room channel, or null for any other channel. */
    static String roomOf(String channel) {
        return channel.startsWith(ROOM_PREFIX) && channel.endsWith("}")
                ? channel.substring(ROOM_PREFIX.length(), channel.length() - 1) : null;
    }

    static String presenceUsersKey(String room) {
        return presenceKey(room) + ":users";
    }

    /** The nodes with connections watching the room's presence events (a set). */
    static String presenceWatchersKey(String room) {
        return presenceKey(room) + ":watchers";
    }

    static String presenceNodesKey() {
        return PREFIX + "presence:nodes";
    }

    static String presenceRoomsKey(String nodeId) {
        return name("presence:rooms", nodeId);
    }

    static String presenceAliveKey(String nodeId) {
        return name("presence:alive", nodeId);
    }

    private static String name(String kind, String id) {
        return PREFIX + kind + ":" + id;
    }
}
