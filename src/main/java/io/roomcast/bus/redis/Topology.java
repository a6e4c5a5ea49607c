package io.roomcast.bus.redis;

import java.util.List;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Where a key or channel lives: one Redis ({@link StandaloneTopology}) or the primary that owns
 * its slot in a Redis Cluster ({@link ClusterTopology}). A shard is named by its primary's
 * address; with one Redis there is one shard. Everything above this seam (publishing lanes,
 * subscribers, heartbeats) works the same on both.
 */
interface Topology {

    /** True for a Redis Cluster: room channels use SSUBSCRIBE/SPUBLISH. */
    boolean sharded();

    /** The primary that owns {@code keyOrChannel}'s slot, from the cached slot map (no I/O). */
    HostAndPort shardOf(String keyOrChannel);

    /** A pooled connection to {@code shard}; closing it gives it back. */
    Jedis borrow(HostAndPort shard);

    /** A new connection to {@code shard} outside any pool, for its subscriber (SSUBSCRIBE when sharded). */
    PubSubConnection dedicated(HostAndPort shard);

    /** Every primary that owns slots, from the cached slot map. */
    List<HostAndPort> primaries();

    /** A string whose slot {@code shard} owns, to build a channel that lands on that shard. */
    String tagOn(HostAndPort shard);

    /** Reads the slot map again (after a failover or a moved slot); nothing with one Redis. */
    void refresh();

    /** Closes {@code shard}'s idle pooled connections (likely dead after its Redis went away). */
    void discardIdle(HostAndPort shard);

    void close();
}
