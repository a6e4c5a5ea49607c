package io.roomcast.bus.redis;

import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The connections to {@code roomcast.redis.url}, one Redis or a Redis Cluster alike: pools
 * shared by the publishing lanes, the probes and the heartbeats (one per shard), and dedicated
 * subscriber connections (which never go back to a pool: they stay in subscribe mode). Callers
 * name the key or channel they are about to use and get a connection to the shard that owns
 * it; {@link #publishCommand()} is PUBLISH or SPUBLISH to match. Created only in Redis mode;
 * closed at shutdown.
 */
@ApplicationScoped
public class RedisConnections {

    /** Beyond the lanes: heartbeat writes and cluster reads, which must not queue behind publishes. */
    private static final int SPARE_CONNECTIONS = 4;
    /** {@code roomcast.redis.unreachable-ms}'s default, for connections built outside the container. */
    private static final Duration UNREACHABLE_DEFAULT = Duration.ofSeconds(5);

    private Topology topology;
    private int timeoutMillis;
    private UnreachableShards unreachable;

    /** For the CDI client proxy only. */
    protected RedisConnections() {
    }

    @Inject
    public RedisConnections(RoomcastConfig config) {
        this(config.redisUrl().orElseThrow(), config.redisPublishLanes(), config.redisTimeout(),
                RedisTls.of(config.redisCaFile()));
        this.unreachable = new UnreachableShards(config.redisUnreachable());
    }

    RedisConnections(String url, int lanes, Duration timeout) {
        this(url, lanes, timeout, RedisTls.JVM_TRUST);
    }

    /** @param unreachableFor how long a shard a send could not reach is refused ({@link UnreachableShards}) */
    RedisConnections(String url, int lanes, Duration timeout, Duration unreachableFor) {
        this(url, lanes, timeout, RedisTls.JVM_TRUST);
        this.unreachable = new UnreachableShards(unreachableFor);
    }

    RedisConnections(String url, int lanes, Duration timeout, RedisTls tls) {
        this.timeoutMillis = (int) timeout.toMillis();
        this.unreachable = new UnreachableShards(UNREACHABLE_DEFAULT);
        this.topology = url.startsWith("redis-cluster://") || url.startsWith("rediss-cluster://")
                ? new ClusterTopology(url, poolConfig(lanes, timeout), timeoutMillis, tls)
                : new StandaloneTopology(URI.create(url), poolConfig(lanes, timeout), timeoutMillis, tls);
    }

    /** The same limits for one Redis's pool and for each cluster node's. */
    private static <T> GenericObjectPoolConfig<T> poolConfig(int lanes, Duration timeout) {
        GenericObjectPoolConfig<T> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(lanes + SPARE_CONNECTIONS);
        config.setMaxIdle(lanes + SPARE_CONNECTIONS);
        // A borrower waits at most the command timeout, then the caller reports unavailable.
        config.setMaxWait(timeout);
        config.setJmxEnabled(false);
        // No idle-eviction thread: it would be an unmanaged thread in the server. Dead idle
        // connections are dropped when a subscriber reconnects (discardIdle) or on first use.
        config.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
        return config;
    }

    /** True on a Redis Cluster: room channels are shard channels. */
    boolean sharded() {
        return topology.sharded();
    }

    /** PUBLISH on one Redis, SPUBLISH on a cluster (only the owning shard carries the message). */
    Protocol.Command publishCommand() {
        return topology.sharded() ? Protocol.Command.SPUBLISH : Protocol.Command.PUBLISH;
    }

    /** The shard (its primary's address) that owns {@code keyOrChannel}; no I/O. */
    HostAndPort shardOf(String keyOrChannel) {
        return topology.shardOf(keyOrChannel);
    }

    /** A pooled connection to {@code shard}; closing it gives it back (or discards it when broken). */
    Jedis borrow(HostAndPort shard) {
        return topology.borrow(shard);
    }

    /**
     * {@code items} grouped by the shard that owns each one's key, each group in the given
     * order. With one Redis (or when all land on one shard) that is the list itself.
     *
     * @throws io.roomcast.bus.BusUnavailableException when no primary owns a slot (cluster down)
     */
    <T> Map<HostAndPort, List<T>> byShard(List<T> items, Function<T, String> keyOf) {
        HostAndPort first = topology.shardOf(keyOf.apply(items.get(0)));
        if (!topology.sharded()) {
            return Map.of(first, items);
        }
        Map<HostAndPort, List<T>> groups = new LinkedHashMap<>();
        for (T item : items) {
            groups.computeIfAbsent(topology.shardOf(keyOf.apply(item)), s -> new ArrayList<>()).add(item);
        }
        return groups;
    }

    /**
     * A pooled connection to {@code shard}, which owned {@code keyOrChannel} when the caller
     * looked. When it cannot be reached the slot map is read again, and if the key has a new
     * owner (a replica took over) the connection goes there: the first publish after a failover
     * does not fail on a stale map. Nothing was sent to the unreachable one, so nothing repeats.
     */
    Jedis borrow(HostAndPort shard, String keyOrChannel) {
        try {
            return topology.borrow(shard);
        } catch (JedisException unreachable) {
            topology.refresh();
            HostAndPort owner = topology.shardOf(keyOrChannel);
            if (owner.equals(shard)) {
                throw unreachable;
            }
            return topology.borrow(owner);
        }
    }

    /** A pooled connection to the shard that owns {@code keyOrChannel}. */
    Jedis borrowFor(String keyOrChannel) {
        return topology.borrow(topology.shardOf(keyOrChannel));
    }

    /**
     * Whether a command for {@code shard} may be sent now: false for a while after a send could
     * not reach it ({@link UnreachableShards}), so that its commands fail at once, unsent.
     */
    boolean admits(HostAndPort shard) {
        return unreachable.admits(shard);
    }

    /** A send could not reach {@code shard} (a connection error or timeout): refuse it for a while. */
    void unreachable(HostAndPort shard) {
        unreachable.failed(shard);
    }

    /** {@code shard} answered (a pipeline, or the bus's probe came back): send to it again. */
    void reached(HostAndPort shard) {
        unreachable.reached(shard);
    }

    /** A new connection to {@code shard} outside the pool, for its subscriber. */
    PubSubConnection dedicated(HostAndPort shard) {
        return topology.dedicated(shard);
    }

    /** Every shard's primary (SCAN must visit each: a cluster node scans only its own keys). */
    List<HostAndPort> primaries() {
        return topology.primaries();
    }

    /** A hash tag that lands on {@code shard}, for a channel that must live there (the probe's). */
    String tagOn(HostAndPort shard) {
        return topology.tagOn(shard);
    }

    /** Reads the cluster's slot map again (rate-limited); nothing with one Redis. */
    void refresh() {
        topology.refresh();
    }

    /**
     * Closes {@code shard}'s idle pooled connections. Called when its subscriber had to
     * reconnect: the idle ones almost certainly went down with the same Redis, and a publish
     * should not be the one to find out.
     */
    void discardIdle(HostAndPort shard) {
        topology.discardIdle(shard);
    }

    int timeoutMillis() {
        return timeoutMillis;
    }

    @PreDestroy
    public void close() {
        topology.close();
    }
}
