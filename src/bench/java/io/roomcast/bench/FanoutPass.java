package io.roomcast.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * One measured fan-out pass over a connected {@link Topology}: the publishers send at a fixed
 * total rate (round robin, each publish scheduled at {@code start + n / rate}) for the warm-up
 * plus the measured seconds; then the pass waits for the stragglers and checks every receipt.
 * CPU is read from /proc over the measured part only.
 */
final class FanoutPass {

    /** A pass ends when every expected message arrived or nothing arrived for this long. */
    private static final long QUIET_NANOS = 3_000_000_000L;

    /**
     * @param rate publishes per second, all publishers together
     * @param jfr  folder for a JFR profile of each node over the measured part, or null
     */
    record Plan(int rate, int seconds, int warmup, int payload, String jfr) {
    }

    private FanoutPass() {
    }

    static Result run(String name, Topology topology, Servers servers, Plan plan) throws Exception {
        Tally tally = topology.newTally();
        long[] seq = new long[topology.publishers];
        long total = (long) plan.rate() * (plan.warmup() + plan.seconds());
        long warmupPublishes = (long) plan.rate() * plan.warmup();
        double nanosPerPublish = 1e9 / plan.rate();
        long start = System.nanoTime() + 50_000_000L;
        tally.measureFrom(start + (long) (warmupPublishes * nanosPerPublish));
        Cpu cpu = null;
        Progress.say(name + ": " + plan.rate() + " publishes/s x " + topology.members + " members for "
                + plan.warmup() + "+" + plan.seconds() + " s");
        for (long n = 0; n < total; n++) {
            long due = start + (long) (n * nanosPerPublish);
            long wait = due - System.nanoTime();
            if (wait > 20_000) {
                LockSupport.parkNanos(wait);
            }
            if (n == warmupPublishes) {
                cpu = Cpu.start(servers);
                profile(servers, plan, false);
            }
            int p = (int) (n % topology.publishers);
            topology.publisher(p).send(Tally.publishFrame(Topology.roomName(p % topology.rooms), p, seq[p]++, due,
                    plan.payload()));
        }
        long expected = total * topology.members;
        awaitStragglers(tally, expected);
        Cpu.Used used = cpu.stop();
        profile(servers, plan, true);
        return report(name, tally.totals(), expected, used, topology, plan);
    }

    /** Starts ({@code stop} false) or stops and writes a JFR recording on every node, when asked for. */
    private static void profile(Servers servers, Plan plan, boolean stop) {
        if (plan.jfr() == null || !servers.knowsPids()) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(plan.jfr()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < servers.size(); i++) {
            String file = java.nio.file.Path.of(plan.jfr(), "node-" + (i + 1) + "-" + plan.rate() + "-"
                    + System.currentTimeMillis() + ".jfr").toAbsolutePath().toString();
            Proc.jcmd(servers.pid(i), stop ? "JFR.stop name=bench filename=" + file
                    : "JFR.start name=bench settings=profile");
        }
    }

    private static void awaitStragglers(Tally tally, long expected) {
        long last = -1;
        long quietSince = System.nanoTime();
        while (tally.receivedSoFar() < expected && System.nanoTime() - quietSince < QUIET_NANOS) {
            long now = tally.receivedSoFar();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
            LockSupport.parkNanos(20_000_000L); // polling counters fed by many connections
        }
    }

    private static Result report(String name, Tally.Totals t, long expected, Cpu.Used used, Topology topology,
            Plan plan) {
        long measured = (long) plan.rate() * plan.seconds() * topology.members;
        long distinct = t.received - t.duplicates;
        Result r = new Result(name)
                .put("publishes_per_s", plan.rate())
                .put("deliveries_per_s", Result.round((double) measured / plan.seconds(), 0))
                .put("expected", expected)
                .put("lost", expected - distinct)
                .put("duplicates", t.duplicates)
                .put("reordered", t.reordered)
                .put("errors", topology.errors())
                .put("members_closed", topology.closedByServer())
                .put("p50_ms", Result.ms(t.all.percentile(50)))
                .put("p95_ms", Result.ms(t.all.percentile(95)))
                .put("p99_ms", Result.ms(t.all.percentile(99)))
                .put("max_ms", Result.ms(t.all.percentile(100)))
                .put("cross_node_p50_ms", Result.ms(t.crossNode.percentile(50)))
                .put("cross_node_p99_ms", Result.ms(t.crossNode.percentile(99)));
        used.describe(r, measured);
        return r;
    }
}
