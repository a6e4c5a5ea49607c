package io.roomcast.bus.redis;

import io.roomcast.bus.BusUnavailableException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster given by seed nodes ({@code redis-cluster://[user:password@]h:p,h:p}, TLS with
 * {@code rediss-cluster://}), through Jedis's {@link ClusterConnectionProvider}: its slot map
 * says which primary owns a key, and it keeps one pool per node. No topology refresh thread
 * (it would be unmanaged in the server): the map is read again when a subscriber loses its
 * shard or Redis answers MOVED, at most once per {@link #REFRESH_GAP_NANOS}. When no seed
 * answers at start-up the node starts anyway (its bus reports {@code connecting}) and the map is
 * read on the next attempt.
 */
final class ClusterTopology implements Topology {

    private static final int SLOTS = 16_384;
    private static final long REFRESH_GAP_NANOS = 100_000_000L;

    private final Set<HostAndPort> seeds;
    private final GenericObjectPoolConfig<Connection> poolConfig;
    private final JedisClientConfig client;
    private volatile ClusterConnectionProvider provider;
    private final AtomicLong lastRefresh = new AtomicLong(System.nanoTime() - REFRESH_GAP_NANOS);

    ClusterTopology(String url, GenericObjectPoolConfig<Connection> poolConfig, int timeoutMillis, RedisTls tls) {
        String rest = url.substring(url.indexOf("://") + 3);
        DefaultJedisClientConfig.Builder config = tls.applyTo(DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
                .ssl(url.startsWith("rediss-")));
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String[] credentials = rest.substring(0, at).split(":", 2);
            if (!credentials[0].isEmpty()) {
                config.user(decode(credentials[0]));
            }
            if (credentials.length == 2) {
                config.password(decode(credentials[1]));
            }
            rest = rest.substring(at + 1);
        }
        Set<HostAndPort> seeds = new LinkedHashSet<>();
        for (String seed : rest.replaceAll("/$", "").split(",")) {
            seeds.add(HostAndPort.from(seed.trim()));
        }
        this.client = config.build();
        this.seeds = seeds;
        this.poolConfig = poolConfig;
        try {
            provider();
        } catch (BusUnavailableException notYet) {
            // The cluster is down at start-up: the subscribers retry, as with one Redis.
        }
    }

    /** The provider, created on first success: it reads the slot map from a seed when created. */
    private ClusterConnectionProvider provider() {
        ClusterConnectionProvider current = provider;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (provider == null) {
                try {
                    provider = new ClusterConnectionProvider(seeds, client, poolConfig);
                } catch (JedisException e) {
                    throw new BusUnavailableException("No Redis Cluster seed answered: " + e.getMessage(), e);
                }
            }
            return provider;
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }

    @Override
    public boolean sharded() {
        return true;
    }

    @Override
    public HostAndPort shardOf(String keyOrChannel) {
        int slot = JedisClusterCRC16.getSlot(keyOrChannel);
        HostAndPort owner = provider().getNode(slot);
        if (owner == null) {
            refresh();
            owner = provider().getNode(slot);
        }
        if (owner == null) {
            throw new BusUnavailableException("No Redis Cluster primary owns slot " + slot);
        }
        return owner;
    }

    @Override
    public Jedis borrow(HostAndPort shard) {
        return new Jedis(provider().getConnection(shard));
    }

    @Override
    public PubSubConnection dedicated(HostAndPort shard) {
        return new PubSubConnection(shard, client, true);
    }

    @Override
    public List<HostAndPort> primaries() {
        Set<HostAndPort> owners = new LinkedHashSet<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            HostAndPort owner = provider().getNode(slot);
            if (owner != null) {
                owners.add(owner);
            }
        }
        return new ArrayList<>(owners);
    }

    @Override
    public String tagOn(HostAndPort shard) {
        // Slots spread evenly over short strings: a few tries find one of shard's slots.
        for (int i = 0; i < SLOTS * 8; i++) {
            String tag = Integer.toString(i, 36);
            if (shard.equals(provider().getNode(JedisClusterCRC16.getSlot(tag)))) {
                return tag;
            }
        }
        throw new BusUnavailableException(shard + " owns no slot");
    }

    @Override
    public void refresh() {
        long last = lastRefresh.get();
        long now = System.nanoTime();
        if (now - last >= REFRESH_GAP_NANOS && lastRefresh.compareAndSet(last, now)) {
            provider().renewSlotCache();
        }
    }

    @Override
    public void discardIdle(HostAndPort shard) {
        ClusterConnectionProvider current = provider;
        ConnectionPool pool = current == null ? null : current.getNodes().get(shard.toString());
        if (pool != null) {
            pool.clear();
        }
    }

    @Override
    public void close() {
        ClusterConnectionProvider current = provider;
        if (current != null) {
            current.close();
        }
    }
}
