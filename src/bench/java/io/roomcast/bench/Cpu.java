package io.roomcast.bench;

/**
 * CPU seconds used by the nodes, by Redis (when the benchmark started it; every process of a
 * Redis Cluster, replicas included) and by this
 * generator between two instants: the generator's own figure shows whether it, rather than
 * the server, was the limit.
 */
final class Cpu {

    private final long[] nodes;
    private final long[] redis;
    private final double nodesAtStart;
    private final double nodesSystemAtStart;
    private final double redisAtStart;
    private final double selfAtStart;
    private final long startNanos = System.nanoTime();

    private Cpu(Servers servers) {
        this.nodes = new long[servers.knowsPids() ? servers.size() : 0];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = servers.pid(i);
        }
        this.redis = servers.redisPids();
        this.nodesAtStart = Proc.cpuSeconds(nodes);
        this.nodesSystemAtStart = Proc.systemSeconds(nodes);
        this.redisAtStart = Proc.cpuSeconds(redis);
        this.selfAtStart = Proc.cpuSeconds(Proc.self());
    }

    static Cpu start(Servers servers) {
        return new Cpu(servers);
    }

    Used stop() {
        return new Used(Proc.cpuSeconds(nodes) - nodesAtStart, Proc.systemSeconds(nodes) - nodesSystemAtStart,
                Proc.cpuSeconds(redis) - redisAtStart,
                Proc.cpuSeconds(Proc.self()) - selfAtStart,
                (System.nanoTime() - startNanos) / 1e9, nodes.length > 0);
    }

    /** CPU seconds over a wall-clock window. */
    record Used(double nodes, double nodesSystem, double redis, double generator, double wallSeconds,
            boolean known) {

        /** Adds the CPU figures, per 1,000 and per 100,000 of {@code deliveries}. */
        void describe(Result r, long deliveries) {
            if (!known) {
                r.put("server_cpu", "unknown (give --pids)");
                return;
            }
            r.put("node_cpu_s", Result.round(nodes, 2))
                    .put("node_kernel_share", Result.round(nodes > 0 ? nodesSystem / nodes : 0, 2))
                    .put("redis_cpu_s", Result.round(redis, 2))
                    .put("generator_cpu_s", Result.round(generator, 2))
                    .put("node_cpu_ms_per_1k", Result.round(nodes * 1e6 / deliveries, 2))
                    .put("server_cpu_ms_per_1k", Result.round((nodes + redis) * 1e6 / deliveries, 2))
                    .put("server_cpu_s_per_100k", Result.round((nodes + redis) * 1e5 / deliveries, 3))
                    .put("node_cpu_cores", Result.round(nodes / wallSeconds, 2))
                    .put("generator_cpu_cores", Result.round(generator / wallSeconds, 2));
        }
    }
}
