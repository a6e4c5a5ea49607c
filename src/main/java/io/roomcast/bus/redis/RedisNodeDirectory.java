package io.roomcast.bus.redis;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Heartbeats in Redis: each node's stats under {@code roomcast:heartbeat:<node id>} with an
 * expiry, so a crashed node disappears when its key expires. Reads use {@code SCAN} (never
 * {@code KEYS}, which blocks Redis) on every primary, and pipelined {@code GET}s.
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisNodeDirectory implements NodeDirectory {

    private static final int SCAN_COUNT = 200;

    @Inject
    RedisConnections connections;

    @Override
    public void announce(String nodeId, String stats, Duration ttl) {
        String key = RedisNames.heartbeatKey(nodeId);
        try (Jedis jedis = connections.borrowFor(key)) {
            jedis.set(key, stats, SetParams.setParams().px(ttl.toMillis()));
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis heartbeat failed: " + e.getMessage(), e);
        }
    }

    /** Every primary's heartbeats: on a cluster each primary scans only the keys of its own slots. */
    @Override
    public List<String> announcements() {
        List<String> stats = new ArrayList<>();
        try {
            for (HostAndPort shard : connections.primaries()) {
                try (Jedis jedis = connections.borrow(shard)) {
                    stats.addAll(announcementsOn(jedis));
                }
            }
        } catch (JedisException e) {
            connections.refresh(); // a primary may have failed over
            throw new BusUnavailableException("Redis cluster view failed: " + e.getMessage(), e);
        }
        return stats;
    }

    private static List<String> announcementsOn(Jedis jedis) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(RedisNames.heartbeatPattern()).count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        // One GET per key, pipelined: MGET refuses keys of different slots on a cluster.
        Pipeline pipeline = jedis.pipelined();
        List<Response<String>> values = keys.stream().map(pipeline::get).toList();
        pipeline.sync();
        // A key can expire between SCAN and GET: its value is then null.
        return values.stream().map(Response::get).filter(Objects::nonNull).toList();
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
