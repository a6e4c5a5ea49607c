package io.roomcast.bench;

import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the Redis ceiling publishes and subscribes: one Redis (PUBLISH/SUBSCRIBE), or a Redis
 * Cluster where each room goes to the primary that owns its slot (SPUBLISH/SSUBSCRIBE), as the
 * Roomcast bus does.
 *
 * @param shards     the Redis processes that carry rooms (a cluster's primaries)
 * @param shardOf    room name to index in {@code shards}
 * @param sharded    true on a cluster
 * @param pids       every Redis process whose CPU counts (replicas included)
 */
record RedisTarget(List<RedisServer> shards, Map<String, Integer> shardOf, boolean sharded, long[] pids) {

    static RedisTarget single(RedisServer redis, int rooms) {
        Map<String, Integer> shardOf = new HashMap<>();
        for (int r = 0; r < rooms; r++) {
            shardOf.put(Topology.roomName(r), 0);
        }
        return new RedisTarget(List.of(redis), shardOf, false, new long[] {redis.pid()});
    }

    static RedisTarget cluster(RedisCluster cluster, int rooms) throws Exception {
        List<RedisServer> primaries = new ArrayList<>(cluster.primaries());
        Map<String, Integer> shardOf = new HashMap<>();
        for (int r = 0; r < rooms; r++) {
            String room = Topology.roomName(r);
            shardOf.put(room, primaries.indexOf(cluster.ownerOf(room)));
        }
        return new RedisTarget(primaries, shardOf, true, cluster.pids());
    }

    /** The rooms (of the first {@code rooms}) that {@code shard} carries. */
    List<String> roomsOf(int shard, int rooms) {
        List<String> owned = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            if (shardOf.get(Topology.roomName(r)) == shard) {
                owned.add(Topology.roomName(r));
            }
        }
        return owned;
    }

    String subscribeCommand() {
        return sharded ? "SSUBSCRIBE" : "SUBSCRIBE";
    }

    String publishCommand() {
        return sharded ? "SPUBLISH" : "PUBLISH";
    }

    double cpuSeconds() {
        return Proc.cpuSeconds(pids);
    }
}
