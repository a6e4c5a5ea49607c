package io.roomcast.bench;

import it.io.roomcast.support.Http;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code slow-consumer}: the fan-out pass without and with one extra member that joins every
 * room (up to 100) and never reads. Passes alternate; each stalled pass checks that the
 * server closed the stalled connection (1013) and counted it, and what the node's memory did.
 */
final class SlowConsumerScenario {

    /** The counter of connections closed for a full outbox (ops/RoomcastMetrics). */
    private static final String OVERFLOWS = "roomcast_outbox_overflows_total";

    private SlowConsumerScenario() {
    }

    static void run(Options options) throws Exception {
        String bus = options.string("bus", "local");
        int runs = options.integer("runs", 3);
        ServerOptions choice = ServerOptions.of(options);
        // 1 KiB payloads fill the stalled socket's kernel buffers within seconds, so its
        // outbox overflows inside the measured pass.
        FanoutScenario.Shape shape = FanoutScenario.Shape.of(options, 1024);
        FanoutPass.Plan plan = shape.plan(options.integer("rate", 1000));
        options.rejectUnknown();
        Report report = shape.describe(new Report("slow-consumer")).setting("runs", runs);
        List<String> rooms = new ArrayList<>();
        for (int r = 0; r < Math.min(100, shape.rooms()); r++) {
            rooms.add(Topology.roomName(r));
        }
        FanoutScenario.Variant variant = FanoutScenario.open(choice, bus, shape);
        try {
            for (int run = 1; run <= runs; run++) {
                report.add(FanoutPass.run("without-stalled", variant.topology(), variant.servers(), plan));
                report.add(withStalled(variant, plan, rooms));
            }
        } finally {
            variant.topology().close();
            variant.servers().close();
        }
        report.ratio("p99 with / without the stalled member", "p99_ms", "with-stalled", "without-stalled");
        report.ratio("p50 with / without the stalled member", "p50_ms", "with-stalled", "without-stalled");
        report.print();
    }

    /** The same pass with a member in {@code rooms} that never reads; checks its close and memory. */
    private static Result withStalled(FanoutScenario.Variant variant, FanoutPass.Plan plan, List<String> rooms)
            throws Exception {
        Servers servers = variant.servers();
        long heapBefore = servers.knowsPids() ? Proc.heapAfterGcKiB(servers.pid(0)) : -1;
        double overflowsBefore = Http.metric(servers.metrics(0), OVERFLOWS);
        try (StalledClient stalled = StalledClient.open(servers.ws(0), rooms)) {
            Result r = FanoutPass.run("with-stalled", variant.topology(), servers, plan);
            r.put("stalled_close_code", stalled.closeCode());
            r.put("outbox_overflows", Http.metric(servers.metrics(0), OVERFLOWS) - overflowsBefore);
            if (heapBefore >= 0) {
                r.put("heap_growth_after_gc_kib", Proc.heapAfterGcKiB(servers.pid(0)) - heapBefore);
                r.put("rss_mib", Result.round(Proc.rssKiB(servers.pid(0)) / 1024.0, 1));
            }
            return r;
        }
    }
}
