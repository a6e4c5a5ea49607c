package io.roomcast.bench;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The servers under test: Roomcast nodes (and a Redis) that the benchmark starts from the
 * built runtime ({@code target/liberty/wlp}, the project's {@code liberty/} settings), or
 * nodes given by URL with their process ids. Everything started here is stopped by
 * {@link #close()}; given servers are left alone.
 */
@SuppressWarnings("try") // close() waits for the servers to stop; an interrupt there must reach the caller
final class Servers implements AutoCloseable {

    private static final Duration CLUSTER_NODE_TIMEOUT = Duration.ofSeconds(5);

    private final List<LibertyNode> started = new ArrayList<>();
    private final List<URI> endpoints = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    /** Numbers the nodes of every Servers in this process, so no two share a server directory. */
    private static final java.util.concurrent.atomic.AtomicInteger NODES = new java.util.concurrent.atomic.AtomicInteger();

    private RedisServer redis;
    private RedisCluster redisCluster;
    private final String label;
    private boolean closed;
    /** Whether the nodes serve Roomcast's {@code /metrics} (given nodes are taken to be Roomcast). */
    private boolean metrics = true;

    private Servers(String label) {
        this.label = label;
    }

    /**
     * What to start: {@code count} nodes on {@code bus}, {@code local} (one node) or {@code redis}
     * (a fresh redis-server on a free port first, or a Redis Cluster of {@code redisPrimaries}
     * primaries with one replica each when that is above 0); {@code floor} nodes run the Liberty
     * floor, which answers no health check and has no metrics.
     */
    record Layout(String bus, int count, int redisPrimaries, boolean floor) {
    }

    /** Starts the nodes of {@code layout} on free loopback ports, each with {@code env}. */
    static Servers start(Layout layout, Map<String, String> env) throws Exception {
        String bus = layout.bus();
        if (bus.equals("local") && layout.count() != 1) {
            throw new IllegalArgumentException("The in-memory bus serves one node; use --bus redis for more");
        }
        Servers servers = new Servers(layout.floor() ? "Liberty floor, 1 node" : bus + " bus, " + layout.count()
                + " node(s)" + (layout.redisPrimaries() > 0 ? ", Redis Cluster of " + layout.redisPrimaries() : ""));
        servers.metrics = !layout.floor();
        // Ctrl-C or a kill still stops what this run started.
        Runtime.getRuntime().addShutdownHook(new Thread(servers::closeQuietly, "bench-servers-stop"));
        try {
            Map<String, String> nodeEnv = new HashMap<>(env);
            // A benchmark node must hold the connections scenario's 18,000 idle clients.
            nodeEnv.putIfAbsent("ROOMCAST_MAX_CONNECTIONS", "19000");
            if (bus.equals("redis") && layout.redisPrimaries() > 0) {
                servers.redisCluster = RedisCluster.start(layout.redisPrimaries(), CLUSTER_NODE_TIMEOUT);
                nodeEnv.put("ROOMCAST_REDIS_URL", servers.redisCluster.url());
            } else if (bus.equals("redis")) {
                servers.redis = RedisServer.start();
                nodeEnv.put("ROOMCAST_REDIS_URL", servers.redis.url());
            }
            LibertyNode.Readiness ready = layout.floor() ? Floor::welcomes : LibertyNode.HEALTH_STARTED;
            for (int i = 1; i <= layout.count(); i++) {
                // Named after this process too, so two benchmarks never share a server directory.
                String name = "bench-" + Proc.self() + "-" + NODES.incrementAndGet();
                Progress.say("starting node " + name + " (" + servers.label + ")");
                nodeEnv.put("ROOMCAST_NODE_ID", "bench-" + i);
                LibertyNode node = LibertyNode.start(name, FreePorts.next(), nodeEnv, ready);
                servers.started.add(node);
                servers.endpoints.add(node.ws());
                servers.pids.add(node.pid());
            }
            return servers;
        } catch (Exception | Error e) {
            servers.close();
            throw e;
        }
    }

    /** Nodes that are already running; {@code pids} (same order) enables CPU and memory figures. */
    static Servers given(List<String> urls, List<String> pids) {
        Servers servers = new Servers("given nodes");
        urls.forEach(u -> servers.endpoints.add(URI.create(u)));
        pids.forEach(p -> servers.pids.add(Long.parseLong(p)));
        return servers;
    }

    int size() {
        return endpoints.size();
    }

    URI ws(int node) {
        return endpoints.get(node);
    }

    /** {@code /metrics} of a node (same host and port as its WebSocket endpoint). */
    URI metrics(int node) {
        URI ws = endpoints.get(node);
        return URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/metrics");
    }

    boolean hasMetrics() {
        return metrics;
    }

    boolean knowsPids() {
        return pids.size() == endpoints.size();
    }

    long pid(int node) {
        return pids.get(node);
    }

    /** Every node's process id, plus Redis when it was started here. */
    long[] allPids() {
        List<Long> all = new ArrayList<>(pids);
        java.util.Arrays.stream(redisPids()).forEach(all::add);
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    /** The Redis processes started here (a cluster's replicas included); none for given nodes. */
    long[] redisPids() {
        if (redisCluster != null) {
            return redisCluster.pids();
        }
        return redis == null ? new long[0] : new long[] {redis.pid()};
    }

    RedisServer redis() {
        return redis;
    }

    /** The Redis Cluster started here, or null. */
    RedisCluster redisCluster() {
        return redisCluster;
    }

    String label() {
        return label;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            Progress.say("could not stop every server: " + e);
        }
    }

    /** Stops what was started here, once; safe to call again (the shutdown hook does). */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (LibertyNode node : started) {
            node.delete(); // stopped cleanly: nothing left to read in its logs
        }
        if (redis != null) {
            redis.close();
        }
        if (redisCluster != null) {
            redisCluster.close();
        }
    }
}
