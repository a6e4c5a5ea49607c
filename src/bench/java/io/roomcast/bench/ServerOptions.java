package io.roomcast.bench;

import java.util.List;
import java.util.Map;

/**
 * Which servers to measure: nodes started here ({@code --nodes}, {@code --config}, {@code --war})
 * or given ones ({@code --urls}, {@code --pids}). Read before the scenario's own options are checked.
 */
record ServerOptions(List<String> urls, List<String> pids, int nodes, int redisCluster, Build build) {

    /**
     * What the nodes started here run: a WAR and the folder of its {@code server.xml} and
     * {@code jvm.options}. {@code prefix} starts its variants' names ({@code base-} for a baseline
     * build); the floor is not Roomcast (no bus, no health checks, no metrics): one node, always.
     */
    record Build(String prefix, String war, String config, boolean floor) {

        static Build roomcast(String prefix, String war, String config) {
            return new Build(prefix, war, config, false);
        }

        static Build floor(String war, String config) {
            return new Build("floor-", war, config, true);
        }
    }

    static ServerOptions of(Options options) {
        return new ServerOptions(options.list("urls"), options.list("pids"), options.integer("nodes", 2),
                // A Redis Cluster of this many primaries (one replica each) instead of one Redis.
                options.integer("redis-cluster", 0),
                // Another server.xml / jvm.options folder, or another build, to compare against.
                Build.roomcast("", options.string("war", "target/roomcast.war"), options.string("config", "liberty")));
    }

    /** The buses {@code --bus} names: {@code local}, {@code redis}, or {@code both} of them. */
    static List<String> buses(String bus) {
        return bus.equals("both") ? List.of("local", "redis") : List.of(bus);
    }

    /** The same nodes and Redis, running {@code other}; always started here, never given. */
    ServerOptions with(Build other) {
        return new ServerOptions(List.of(), List.of(), nodes, redisCluster, other);
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
        System.setProperty("liberty.config.dir", build.config());
        System.setProperty("roomcast.war", build.war());
        if (build.floor()) {
            return Servers.start(new Servers.Layout("local", 1, 0, true), env);
        }
        return Servers.start(new Servers.Layout(bus, bus.equals("local") ? 1 : nodes, redisCluster, false), env);
    }

    /**
     * The variant's name in tables: {@code memory-1node}, {@code redis-2nodes}, {@code given-Nnodes},
     * {@code floor-1node}, or a baseline's {@code base-memory-1node}.
     */
    String variantName(String bus, Servers servers) {
        int size = servers.size();
        String nodeCount = size + (size == 1 ? "node" : "nodes");
        if (!urls.isEmpty()) {
            return "given-" + nodeCount;
        }
        if (build.floor() || bus.equals("local")) {
            return build.prefix() + (build.floor() ? "" : "memory-") + nodeCount;
        }
        return build.prefix() + (redisCluster > 0 ? "redis-cluster" + redisCluster + "-" : "redis-") + nodeCount;
    }
}
