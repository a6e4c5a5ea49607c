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
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Heartbeats in Redis: each node's stats under {@code roomcast:heartbeat:<node id>} with an
 * expiry, so a crashed node disappears when its key expires. Reads use {@code SCAN} (never
 * {@code KEYS}, which blocks Redis) and one {@code MGET}.
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisNodeDirectory implements NodeDirectory {

    private static final int SCAN_COUNT = 200;

    @Inject
    RedisConnections connections;

    @Override
    public void announce(String nodeId, String stats, Duration ttl) {
        try (Jedis jedis = connections.borrow()) {
            jedis.set(RedisNames.heartbeatKey(nodeId), stats, SetParams.setParams().px(ttl.toMillis()));
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis heartbeat failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> announcements() {
        try (Jedis jedis = connections.borrow()) {
            List<String> keys = new ArrayList<>();
            ScanParams params = new ScanParams().match(RedisNames.heartbeatPattern()).count(SCAN_COUNT);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                keys.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            // A key can expire between SCAN and MGET: its value is then null.
            return keys.isEmpty() ? List.of()
                    : jedis.mget(keys.toArray(String[]::new)).stream().filter(Objects::nonNull).toList();
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis cluster view failed: " + e.getMessage(), e);
        }
    }
}
