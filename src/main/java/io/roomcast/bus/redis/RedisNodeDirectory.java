package io.roomcast.bus.redis;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Heartbeats in Redis, in two keys of one slot (so one shard of a Redis Cluster holds them
 * all): the hash {@code roomcast:{#nodes}:stats} (node id, its latest stats) and the sorted set
 * {@code roomcast:{#nodes}:expiry} (node id, scored by when its announcement expires on Redis's
 * clock, so the nodes' clocks need not agree). Both an announcement and a read are one script
 * costing O(nodes), whatever else Redis holds; the console reads once a second per node, and a
 * {@code SCAN} of every primary's whole keyspace per read, as before, grew with every room.
 *
 * <p>An announcement removes the nodes whose announcement expired, writes its own, and lets
 * both keys expire with the latest announcement, so nothing stays once every node is gone. A
 * read writes nothing: it returns the stats of the nodes not expired yet.
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisNodeDirectory implements NodeDirectory {

    /** KEYS: stats, expiry. ARGV: node, stats, ttl in ms. */
    private static final LuaScript ANNOUNCE = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
            if #dead > 0 then
              redis.call('ZREM', KEYS[2], unpack(dead))
              redis.call('HDEL', KEYS[1], unpack(dead))
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
            local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')[2]
            redis.call('PEXPIREAT', KEYS[1], last)
            redis.call('PEXPIREAT', KEYS[2], last)
            return #dead""");
    /** KEYS: stats, expiry. The stats of the nodes whose announcement has not expired. */
    private static final LuaScript READ = new LuaScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local live = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. now, '+inf')
            if #live == 0 then return {} end
            return redis.call('HMGET', KEYS[1], unpack(live))""");

    private static final List<String> KEYS = List.of(RedisNames.heartbeatStatsKey(), RedisNames.heartbeatExpiryKey());

    @Inject
    RedisConnections connections;

    @Override
    public void announce(String nodeId, String stats, Duration ttl) {
        try (Jedis jedis = connections.borrowFor(KEYS.get(0))) {
            ANNOUNCE.run(jedis, KEYS, List.of(nodeId, stats, Long.toString(ttl.toMillis())));
        } catch (JedisException e) {
            connections.refresh(); // the shard may have failed over
            throw new BusUnavailableException("Redis heartbeat failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> announcements() {
        try (Jedis jedis = connections.borrowFor(KEYS.get(0))) {
            List<?> stats = (List<?>) READ.run(jedis, KEYS, List.of());
            // null only if a field vanished between the two reads of one script: never, kept safe.
            return stats.stream().filter(Objects::nonNull).map(Object::toString).toList();
        } catch (JedisException e) {
            connections.refresh(); // the shard may have failed over
            throw new BusUnavailableException("Redis cluster view failed: " + e.getMessage(), e);
        }
    }

    /** SET NX then GET: the first node's key wins, and a key lost with Redis's data is set again. */
    @Override
    public String sharedKey(String proposal) {
        String key = RedisNames.clusterKey();
        try (Jedis jedis = connections.borrowFor(key)) {
            jedis.set(key, proposal, SetParams.setParams().nx());
            String stored = jedis.get(key);
            return stored != null ? stored : proposal;
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis cluster key not read: " + e.getMessage(), e);
        }
    }
}
