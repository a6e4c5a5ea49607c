package io.roomcast.bench;

import it.io.roomcast.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code connections}: C idle connections to one node at a bounded rate; handshake time (TCP
 * connect to {@code welcome}), failures, the node's CPU per connect, and its heap (after a full
 * GC) and resident memory per connection, measured against the same node before the connections.
 * With {@code --floor} or {@code --baseline-war}, each run takes one pass of every variant in turn.
 */
final class ConnectionsScenario {

    /** The figures a floor or baseline comparison divides: handshake cost and time, memory. */
    static final List<String> COMPARED = List.of("node_cpu_ms_per_connect", "handshake_p50_ms", "handshake_p99_ms",
            "heap_kib_per_connection", "rss_kib_per_connection");
    /** How long the node may take to let go of the last pass's connections. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

    /** One node's servers; the storm goes to node 0. */
    private record Variant(String name, Servers servers) implements Lineup.Named {
    }

    /**
     * @param warmup    seconds of connections opened at {@code rate} and closed again before the
     *                  measured ones, so the handshake path is compiled
     * @param histogram the top N classes of heap per connection to print, 0 for none
     */
    private record Pass(int count, int rate, int idle, int warmup, int histogram, Profiling profiling) {
    }

    private ConnectionsScenario() {
    }

    static void run(Options options) throws Exception {
        Pass pass = new Pass(options.integer("connections", 18_000), options.integer("rate", 1000),
                options.integer("idle", 5), options.integer("warmup", 0), options.integer("histogram", 0),
                Profiling.of(options));
        int runs = options.integer("runs", 1);
        List<String> buses = ServerOptions.buses(options.string("bus", "local"));
        Lineup lineup = Lineup.of(options);
        options.rejectUnknown();
        Report report = lineup.describe(new Report("connections").setting("connections", pass.count())
                .setting("rate", pass.rate()).setting("idle", pass.idle()).setting("warmup", pass.warmup()));
        List<Variant> all = new ArrayList<>();
        try {
            lineup.open(buses, "local", ConnectionsScenario::open, all);
            for (int run = 1; run <= runs; run++) {
                Progress.say("run " + run + " of " + runs);
                for (Variant v : all) {
                    report.add(once(v, pass));
                }
            }
        } finally {
            for (Variant v : all) {
                v.servers().close();
            }
        }
        lineup.compare(report, COMPARED);
        report.print();
    }

    private static Variant open(ServerOptions choice, String bus) throws Exception {
        Servers servers = choice.open(bus);
        if (!servers.knowsPids()) {
            servers.close();
            throw new IllegalArgumentException("connections needs the node's pid (--pids) for memory figures");
        }
        return new Variant(choice.variantName(bus, servers), servers);
    }

    private static Result once(Variant variant, Pass pass) throws Exception {
        Servers servers = variant.servers();
        long pid = servers.pid(0);
        if (pass.warmup() > 0) {
            Progress.say(variant.name() + ": warm-up, " + pass.warmup() + " s of connects at " + pass.rate() + "/s");
            ConnectionStorm.open(servers, pass.rate() * pass.warmup(), pass.rate()).close();
        }
        awaitNoConnections(servers);
        HeapHistogram classesBefore = pass.histogram() > 0 ? HeapHistogram.take(pid) : null;
        long heapBefore = Proc.heapAfterGcKiB(pid);
        long rssBefore = Proc.rssKiB(pid);
        double cpuBefore = Proc.cpuSeconds(pid);
        double selfBefore = Proc.cpuSeconds(Proc.self());
        Progress.say(variant.name() + ": " + pass.count() + " connections at " + pass.rate() + "/s");
        pass.profiling().start(servers); // the connects only, not the idle wait
        try (ConnectionStorm storm = ConnectionStorm.open(servers, pass.count(), pass.rate())) {
            double cpu = Proc.cpuSeconds(pid) - cpuBefore;
            double self = Proc.cpuSeconds(Proc.self()) - selfBefore;
            pass.profiling().stop(servers, variant.name());
            Progress.say(pass.count() + " connected in " + Result.round(storm.seconds, 1) + " s; idle " + pass.idle()
                    + " s");
            LockSupport.parkNanos(pass.idle() * 1_000_000_000L); // idle connections are the point: nothing to wait for
            int open = storm.open();
            long heap = Proc.heapAfterGcKiB(pid);
            long rss = Proc.rssKiB(pid);
            if (classesBefore != null) {
                System.out.println("Heap added per open connection on " + variant.name() + ", by class:\n"
                        + HeapHistogram.take(pid).perConnection(classesBefore, open, pass.histogram()));
            }
            return new Result(variant.name())
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

    /**
     * Waits until node 0 holds no connection (closes of a warm-up or an earlier pass end
     * asynchronously): Roomcast's own count, or for the floor, which has no metrics, the
     * accepted sockets on its port that it has not closed yet.
     */
    private static void awaitNoConnections(Servers servers) throws Exception {
        if (servers.hasMetrics()) {
            Http.awaitMetric(servers.metrics(0), "websocket_connections_total", v -> v == 0, CLOSE_WAIT);
            return;
        }
        int port = servers.ws(0).getPort();
        Http.await(() -> Proc.acceptedSockets(port), v -> v == 0, CLOSE_WAIT,
                left -> left + " connections to port " + port + " still open");
    }
}
