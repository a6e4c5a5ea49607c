package io.roomcast.bench;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.RedisServer;
import java.net.URI;
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

    private final List<LibertyNode> started = new ArrayList<>();
    private final List<URI> endpoints = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    /** Numbers the nodes of every Servers in this process, so no two share a server directory. */
    private static final java.util.concurrent.atomic.AtomicInteger NODES = new java.util.concurrent.atomic.AtomicInteger();

    private RedisServer redis;
    private final String label;
    private boolean closed;

    private Servers(String label) {
        this.label = label;
    }

    /**
     * Starts {@code count} nodes on free loopback ports; {@code bus} is {@code local} (one
     * node) or {@code redis} (a fresh redis-server on a free port is started first).
     */
    static Servers start(String bus, int count, Map<String, String> env) throws Exception {
        if (bus.equals("local") && count != 1) {
            throw new IllegalArgumentException("The in-memory bus serves one node; use --bus redis for more");
        }
        Servers servers = new Servers(bus + " bus, " + count + " node(s)");
        // Ctrl-C or a kill still stops what this run started.
        Runtime.getRuntime().addShutdownHook(new Thread(servers::closeQuietly, "bench-servers-stop"));
        try {
            Map<String, String> nodeEnv = new HashMap<>(env);
            // A benchmark node must hold the connections scenario's 18,000 idle clients.
            nodeEnv.putIfAbsent("ROOMCAST_MAX_CONNECTIONS", "19000");
            if (bus.equals("redis")) {
                servers.redis = RedisServer.start();
                nodeEnv.put("ROOMCAST_REDIS_URL", servers.redis.url());
            }
            for (int i = 1; i <= count; i++) {
                // Named after this process too, so two benchmarks never share a server directory.
                String name = "bench-" + Proc.self() + "-" + NODES.incrementAndGet();
                Progress.say("starting node " + name + " (" + servers.label + ")");
                nodeEnv.put("ROOMCAST_NODE_ID", "bench-" + i);
                LibertyNode node = LibertyNode.start(name, FreePorts.next(), nodeEnv);
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

    boolean knowsPids() {
        return pids.size() == endpoints.size();
    }

    long pid(int node) {
        return pids.get(node);
    }

    /** Every node's process id, plus Redis when it was started here. */
    long[] allPids() {
        List<Long> all = new ArrayList<>(pids);
        if (redis != null) {
            all.add(redis.pid());
        }
        return all.stream().mapToLong(Long::longValue).toArray();
    }

    RedisServer redis() {
        return redis;
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
    }
}
