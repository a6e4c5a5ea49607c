package io.roomcast.bus.redis;

import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * The connections to {@code roomcast.redis.url}: a pool shared by the publishing lanes, the
 * probe and the heartbeats, and a factory for the one subscriber connection (which never goes
 * back to a pool: it stays in subscribe mode). Created only in Redis mode; closed at shutdown.
 */
@ApplicationScoped
public class RedisConnections {

    /** Beyond the lanes: heartbeat writes and cluster reads, which must not queue behind publishes. */
    private static final int SPARE_CONNECTIONS = 4;

    private URI uri;
    private int timeoutMillis;
    private JedisPool pool;

    /** For the CDI client proxy only. */
    protected RedisConnections() {
    }

    @Inject
    public RedisConnections(RoomcastConfig config) {
        this(URI.create(config.redisUrl().orElseThrow()), config.redisPublishLanes(), config.redisTimeout());
    }

    RedisConnections(URI uri, int lanes, Duration timeout) {
        this.uri = uri;
        this.timeoutMillis = (int) timeout.toMillis();
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(lanes + SPARE_CONNECTIONS);
        poolConfig.setMaxIdle(lanes + SPARE_CONNECTIONS);
        // A borrower waits at most the command timeout, then the caller reports unavailable.
        poolConfig.setMaxWait(timeout);
        poolConfig.setJmxEnabled(false);
        // No idle-eviction thread: it would be an unmanaged thread in the server. Dead idle
        // connections are dropped when the subscriber reconnects (discardIdle) or on first use.
        poolConfig.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        this.pool = new JedisPool(poolConfig, uri, timeoutMillis, timeoutMillis);
    }

    /** A pooled connection; closing it gives it back (or discards it when broken). */
    Jedis borrow() {
        return pool.getResource();
    }

    /** A new connection outside the pool, for the subscriber. */
    Jedis dedicated() {
        return new Jedis(uri, timeoutMillis, timeoutMillis);
    }

    /**
     * Closes every idle pooled connection. Called when the subscriber had to reconnect: the
     * idle ones almost certainly went down with the same Redis, and a publish should not be
     * the one to find out.
     */
    void discardIdle() {
        pool.clear();
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    @PreDestroy
    public void close() {
        pool.close();
    }
}
