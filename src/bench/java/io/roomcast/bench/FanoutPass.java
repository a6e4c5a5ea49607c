package io.roomcast.bench;

/**
 * One measured fan-out pass over a connected {@link Topology}: the publishers send at a fixed
 * total rate (round robin, each publish scheduled at {@code start + n / rate}) for the warm-up
 * plus the measured seconds; then the pass waits for the stragglers and checks every receipt.
 * CPU is read from /proc over the measured part only.
 */
final class FanoutPass {

    /**
     * @param rate       publishes per second, all publishers together
     * @param warmupRate publishes per second during the warm-up
     * @param profiling  which profiles of each node to record over the measured part
     */
    record Plan(int rate, int seconds, int warmup, int warmupRate, int payload, Profiling profiling) {
    }

    private FanoutPass() {
    }

    static Result run(String name, Topology topology, Servers servers, Plan plan) throws Exception {
        Tally tally = topology.newTally();
        Progress.say(name + ": " + plan.rate() + " publishes/s x " + topology.members + " members for "
                + plan.seconds() + " s, after " + plan.warmup() + " s of warm-up at " + plan.warmupRate() + "/s");
        Cpu[] cpu = new Cpu[1];
        long total = PublishSchedule.run(plan, topology.publishers, topology.rooms, tally, () -> {
            cpu[0] = Cpu.start(servers);
            plan.profiling().start(servers);
        }, (p, room, frame) -> topology.publisher(p).send(frame));
        long expected = total * topology.members;
        tally.awaitAll(expected);
        Cpu.Used used = cpu[0].stop();
        plan.profiling().stop(servers, Integer.toString(plan.rate()));
        return report(name, tally.totals(), expected, used, topology, plan);
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
