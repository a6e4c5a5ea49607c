package io.roomcast.bench;

import it.io.roomcast.support.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code fanout}: every variant (in-memory bus, Redis bus, given nodes) measured in the same
 * run, passes interleaved so that a busy moment on the machine hits all of them alike, plus
 * Redis pub/sub alone as the ceiling. {@code ramp}: fan-out at rising rates until p99 passes
 * 50 ms or anything is lost.
 */
final class FanoutScenario {

    private static final double RAMP_P99_LIMIT_MS = 50;

    private FanoutScenario() {
    }

    /** One set of servers with its connected members. */
    record Variant(String name, Servers servers, Topology topology) implements Lineup.Named {
    }

    /** What a measured variant runs: a bus, with history on or off. */
    private record Spec(String bus, History history) {
    }

    /** The figures a floor or baseline comparison divides: CPU per delivery and latency. */
    static final List<String> COMPARED = List.of("node_cpu_ms_per_1k", "server_cpu_ms_per_1k", "p50_ms", "p95_ms",
            "p99_ms");

    static void fanout(Options options) throws Exception {
        String bus = options.string("bus", "local");
        List<History> histories = History.of(options.string("history", "on"));
        int runs = options.integer("runs", 3);
        boolean ceiling = options.flag("ceiling");
        Lineup lineup = Lineup.of(options);
        Shape shape = Shape.of(options);
        FanoutPass.Plan plan = shape.plan(options.integer("rate", 1000));
        options.rejectUnknown();
        Report report = lineup.describe(shape.describe(new Report("fanout")).setting("runs", runs)
                .setting("history", options.string("history", "on")));
        List<Spec> specs = new ArrayList<>();
        for (String b : ServerOptions.buses(bus)) {
            histories.forEach(history -> specs.add(new Spec(b, history)));
        }
        List<Variant> all = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        RedisServer ownRedis = null;
        try {
            variants.addAll(lineup.open(specs, new Spec("local", History.ON),
                    (choice, spec) -> open(choice, spec.bus(), shape, spec.history()), all));
            RedisTarget redis = null;
            if (ceiling) {
                Servers last = variants.get(variants.size() - 1).servers();
                if (last.redisCluster() != null) {
                    redis = RedisTarget.cluster(last.redisCluster(), shape.rooms());
                } else {
                    // Without a Redis bus measured: a Redis for the ceiling only.
                    ownRedis = last.redis() == null ? RedisServer.start() : null;
                    redis = RedisTarget.single(ownRedis == null ? last.redis() : ownRedis, shape.rooms());
                }
            }
            int subscribers = lineup.measured().nodes();
            for (int run = 1; run <= runs; run++) {
                Progress.say("run " + run + " of " + runs);
                measure(report, all, plan);
                if (ceiling) {
                    report.add(RedisCeiling.run(redis, shape.rooms(), subscribers, shape.publishers(), plan));
                }
            }
        } finally {
            closeAll(all);
            if (ownRedis != null) {
                ownRedis.close();
            }
        }
        if (histories.size() == 2) {
            addHistoryRatios(report, variants);
        } else {
            addRatios(report, variants);
        }
        lineup.compare(report, COMPARED);
        report.print();
    }

    /**
     * History (PROTOCOL.md section 7) on, as configured, or off ({@code roomcast.history.size=0},
     * the publish path without the history script); {@code --history both} measures the two
     * side by side, passes interleaved, for the cost of history per delivery.
     */
    enum History {
        ON(Map.of(), ""), OFF(Map.of("ROOMCAST_HISTORY_SIZE", "0"), "-history-off");

        final Map<String, String> env;
        final String suffix;

        History(Map<String, String> env, String suffix) {
            this.env = env;
            this.suffix = suffix;
        }

        static List<History> of(String choice) {
            return switch (choice) {
                case "on" -> List.of(ON);
                case "off" -> List.of(OFF);
                case "both" -> List.of(ON, OFF);
                default -> throw new IllegalArgumentException("--history is on, off or both, not " + choice);
            };
        }
    }

    /** History on against off, per bus: the variants come in (on, off) pairs. */
    private static void addHistoryRatios(Report report, List<Variant> variants) {
        for (int i = 0; i + 1 < variants.size(); i += 2) {
            String on = variants.get(i).name();
            String off = variants.get(i + 1).name();
            report.ratio("server cpu per delivery, " + on + " / " + off, "server_cpu_ms_per_1k", on, off);
            report.ratio("node cpu per delivery, " + on + " / " + off, "node_cpu_ms_per_1k", on, off);
            report.ratio("p50, " + on + " / " + off, "p50_ms", on, off);
            report.ratio("p99, " + on + " / " + off, "p99_ms", on, off);
        }
    }

    /** One pass of every variant (floor and baseline too), one after the other, so a busy moment hits them alike. */
    private static void measure(Report report, List<Variant> variants, FanoutPass.Plan plan) throws Exception {
        for (Variant v : variants) {
            report.add(FanoutPass.run(v.name(), v.topology(), v.servers(), plan));
        }
    }

    private static void addRatios(Report report, List<Variant> variants) {
        String last = variants.get(variants.size() - 1).name();
        if (variants.size() == 2) {
            String memory = variants.get(0).name();
            report.ratio("server cpu per delivery, " + last + " / " + memory, "server_cpu_ms_per_1k", last, memory);
            report.ratio("node cpu per delivery, " + last + " / " + memory, "node_cpu_ms_per_1k", last, memory);
            report.ratio("p50, " + last + " / " + memory, "p50_ms", last, memory);
            report.ratio("p99, " + last + " / " + memory, "p99_ms", last, memory);
        }
        if (last.startsWith("redis")) {
            String ceiling = RedisCeiling.NAME;
            report.ratio("p50, " + last + " / " + ceiling, "p50_ms", last, ceiling);
            report.ratio("p99, " + last + " / " + ceiling, "p99_ms", last, ceiling);
            report.ratio("redis cpu, " + last + " / " + ceiling, "redis_cpu_s", last, ceiling);
        }
    }

    static void ramp(Options options) throws Exception {
        String bus = options.string("bus", "local");
        Shape shape = Shape.of(options);
        int rate = options.integer("rate", 1000);
        double step = Double.parseDouble(options.string("step", "1.5"));
        int maxSteps = options.integer("max-steps", 8);
        ServerOptions servers = ServerOptions.of(options);
        options.rejectUnknown();
        Report report = shape.describe(new Report("ramp"));
        double best = 0;
        Variant v = open(servers, bus, shape);
        try {
            for (int i = 0; i < maxSteps; i++, rate = (int) Math.round(rate * step)) {
                Result r = FanoutPass.run(v.name() + "@" + rate, v.topology(), v.servers(), shape.plan(rate));
                report.add(r);
                if (r.number("p99_ms") > RAMP_P99_LIMIT_MS || r.number("lost") > 0 || r.number("errors") > 0) {
                    break;
                }
                best = r.number("deliveries_per_s");
            }
        } finally {
            closeAll(List.of(v));
        }
        report.setting("highest_sustained_deliveries_per_s", (long) best);
        report.print();
    }

    static Variant open(ServerOptions choice, String bus, Shape shape) throws Exception {
        return open(choice, bus, shape, History.ON);
    }

    static Variant open(ServerOptions choice, String bus, Shape shape, History history) throws Exception {
        Servers servers = choice.open(bus, history.env);
        try {
            Topology topology = new Topology(servers, shape.rooms(), shape.members(), shape.publishers());
            return new Variant(choice.variantName(bus, servers) + history.suffix, servers, topology);
        } catch (Exception | Error e) {
            servers.close();
            throw e;
        }
    }

    private static void closeAll(List<Variant> variants) throws Exception {
        for (Variant v : variants) {
            v.topology().close();
            v.servers().close();
        }
    }

    /** Rooms, members and publishers, and the pass settings shared by every rate. */
    record Shape(int rooms, int members, int publishers, int seconds, int warmup, int warmupRate, int payload,
            Profiling profiling) {

        static Shape of(Options o) {
            return of(o, 256);
        }

        static Shape of(Options o, int defaultPayload) {
            int rooms = o.integer("rooms", 100);
            return new Shape(rooms, o.integer("members", 20), o.integer("publishers", rooms),
                    o.integer("seconds", 20), o.integer("warmup", 3),
                    o.integer("warmup-rate", 0), o.integer("payload", defaultPayload),
                    Profiling.of(o));
        }

        FanoutPass.Plan plan(int rate) {
            return new FanoutPass.Plan(rate, seconds, warmup, warmupRate == 0 ? rate : warmupRate, payload, profiling);
        }

        Report describe(Report report) {
            return report.setting("rooms", rooms).setting("members", members).setting("publishers", publishers)
                    .setting("seconds", seconds).setting("warmup", warmup)
                    .setting("warmup_rate", warmupRate == 0 ? "rate" : warmupRate).setting("payload", payload);
        }
    }
}
