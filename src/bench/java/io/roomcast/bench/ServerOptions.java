package io.roomcast.bench;

import java.util.List;
import java.util.Map;

/**
 * Which servers to measure: nodes started here ({@code --nodes}, {@code --config}) or given
 * ones ({@code --urls}, {@code --pids}). Read before the scenario's own options are checked.
 */
record ServerOptions(List<String> urls, List<String> pids, int nodes, String config, String war, int redisCluster) {

    static ServerOptions of(Options options) {
        return new ServerOptions(options.list("urls"), options.list("pids"), options.integer("nodes", 2),
                // Another server.xml / jvm.options folder, or another build, to compare against.
                options.string("config", "liberty"), options.string("war", "target/roomcast.war"),
                // A Redis Cluster of this many primaries (one replica each) instead of one Redis.
                options.integer("redis-cluster", 0));
    }

    /** Starts the servers for {@code bus} ({@code local} is one node), or wraps the given ones. */
    Servers open(String bus) throws Exception {
        return open(bus, Map.of());
    }

    /** {@link #open(String)} with extra node environment, e.g. {@code ROOMCAST_HISTORY_SIZE=0}. */
    Servers open(String bus, Map<String, String> env) throws Exception {
        if (!urls.isEmpty()) {
            return Servers.given(urls, pids);
        }
        System.setProperty("liberty.config.dir", config);
        System.setProperty("roomcast.war", war);
        return Servers.start(bus, bus.equals("local") ? 1 : nodes, env, redisCluster);
    }

    /** The variant's name in tables: {@code memory-1node}, {@code redis-2nodes} or {@code given-Nnodes}. */
    String variantName(String bus, Servers servers) {
        int size = servers.size();
        String nodeCount = size + (size == 1 ? "node" : "nodes");
        if (!urls.isEmpty()) {
            return "given-" + nodeCount;
        }
        if (bus.equals("local")) {
            return "memory-" + nodeCount;
        }
        return (redisCluster > 0 ? "redis-cluster" + redisCluster + "-" : "redis-") + nodeCount;
    }
}
