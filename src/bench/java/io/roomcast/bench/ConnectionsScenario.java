package io.roomcast.bench;

import it.io.roomcast.support.Http;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code connections}: C idle connections to one node at a bounded rate; handshake time (TCP
 * connect to {@code welcome}), failures, and the node's heap (after a full GC) and resident
 * memory per connection, measured against the same node before the connections.
 */
final class ConnectionsScenario {

    private ConnectionsScenario() {
    }

    static void run(Options options) throws Exception {
        int count = options.integer("connections", 18_000);
        int rate = options.integer("rate", 1000);
        int idle = options.integer("idle", 5);
        int runs = options.integer("runs", 1);
        int histogram = options.integer("histogram", 0);
        String bus = options.string("bus", "local");
        ServerOptions choice = ServerOptions.of(options);
        options.rejectUnknown();
        Servers servers = choice.open(bus);
        Report report = new Report("connections").setting("connections", count).setting("rate", rate)
                .setting("idle", idle);
        try {
            if (!servers.knowsPids()) {
                throw new IllegalArgumentException("connections needs the node's pid (--pids) for memory figures");
            }
            for (int run = 1; run <= runs; run++) {
                report.add(once(servers, count, rate, idle, histogram));
            }
        } finally {
            servers.close();
        }
        report.print();
    }

    private static Result once(Servers servers, int count, int rate, int idle, int histogram) throws Exception {
        long pid = servers.pid(0);
        awaitConnections(servers, 0);
        HeapHistogram classesBefore = histogram > 0 ? HeapHistogram.take(pid) : null;
        long heapBefore = Proc.heapAfterGcKiB(pid);
        long rssBefore = Proc.rssKiB(pid);
        double cpuBefore = Proc.cpuSeconds(pid);
        double selfBefore = Proc.cpuSeconds(Proc.self());
        try (ConnectionStorm storm = ConnectionStorm.open(servers, count, rate)) {
            double cpu = Proc.cpuSeconds(pid) - cpuBefore;
            double self = Proc.cpuSeconds(Proc.self()) - selfBefore;
            Progress.say(count + " connected in " + Result.round(storm.seconds, 1) + " s; idle " + idle + " s");
            LockSupport.parkNanos(idle * 1_000_000_000L); // idle connections are the point: nothing to wait for
            int open = storm.open();
            long heap = Proc.heapAfterGcKiB(pid);
            long rss = Proc.rssKiB(pid);
            if (classesBefore != null) {
                System.out.println("Heap added per open connection, by class:\n"
                        + HeapHistogram.take(pid).perConnection(classesBefore, open, histogram));
            }
            return new Result("1node-" + count)
                    .put("connected", open)
                    .put("failures", storm.failures.get())
                    .put("connects_per_s", Result.round(open / storm.seconds, 0))
                    .put("handshake_p50_ms", Result.ms(storm.handshakes.percentile(50)))
                    .put("handshake_p99_ms", Result.ms(storm.handshakes.percentile(99)))
                    .put("handshake_max_ms", Result.ms(storm.handshakes.percentile(100)))
                    .put("node_cpu_ms_per_connect", Result.round(cpu * 1000 / Math.max(1, open), 3))
                    .put("generator_cpu_s", Result.round(self, 2))
                    .put("node_cpu_s", Result.round(cpu, 2))
                    .put("heap_after_gc_mib", Result.round(heap / 1024.0, 1))
                    .put("rss_mib", Result.round(rss / 1024.0, 1))
                    .put("heap_kib_per_connection", Result.round((double) (heap - heapBefore) / Math.max(1, open), 2))
                    .put("rss_kib_per_connection", Result.round((double) (rss - rssBefore) / Math.max(1, open), 2));
        }
    }

    /** Waits until the node counts {@code expected} connections (earlier runs' closes are async). */
    private static void awaitConnections(Servers servers, long expected) throws Exception {
        Http.awaitMetric(servers.metrics(0), "websocket_connections_total", v -> v == expected);
    }
}
