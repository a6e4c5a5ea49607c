package io.roomcast.bus.redis;

import java.net.URI;
import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.util.JedisURIHelper;

/** One Redis ({@code redis://} or {@code rediss://}): one shard, one pool. */
final class StandaloneTopology implements Topology {

    private final JedisClientConfig client;
    private final HostAndPort shard;
    private final JedisPool pool;

    StandaloneTopology(URI uri, GenericObjectPoolConfig<Jedis> poolConfig, int timeoutMillis, RedisTls tls) {
        this.client = tls.applyTo(DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
                .user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))).build();
        this.shard = new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
        // The pool's connections get the same settings (TLS trust included) as the subscribers'.
        this.pool = new JedisPool(poolConfig, shard, client);
    }

    @Override
    public boolean sharded() {
        return false;
    }

    @Override
    public HostAndPort shardOf(String keyOrChannel) {
        return shard;
    }

    @Override
    public Jedis borrow(HostAndPort any) {
        return pool.getResource();
    }

    @Override
    public PubSubConnection dedicated(HostAndPort any) {
        return new PubSubConnection(shard, client, false);
    }

    @Override
    public List<HostAndPort> primaries() {
        return List.of(shard);
    }

    @Override
    public String tagOn(HostAndPort any) {
        return "0"; // one Redis holds every slot
    }

    @Override
    public void refresh() {
        // nothing moves
    }

    @Override
    public void discardIdle(HostAndPort any) {
        pool.clear();
    }

    @Override
    public void close() {
        pool.close();
    }
}
