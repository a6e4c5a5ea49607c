package io.roomcast.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code scripts/bench}: {@code bench <scenario> [--option value ...]}.
 * Progress goes to standard error; the table and one JSON line to standard output.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.err.println(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        Options options = new Options(rest);
        switch (args[0]) {
            case "connections" -> ConnectionsScenario.run(options);
            case "fanout" -> FanoutScenario.fanout(options);
            case "ramp" -> FanoutScenario.ramp(options);
            case "slow-consumer" -> SlowConsumerScenario.run(options);
            case "presence" -> PresenceScenario.run(options);
            default -> {
                System.err.println("Unknown scenario " + args[0] + "\n" + USAGE);
                System.exit(2);
            }
        }
        // Client threads of the JDK WebSocket client are not all daemons.
        System.exit(0);
    }

    private static final String USAGE = """
            usage: scripts/bench <scenario> [options]
              connections    --connections 18000 --rate 1000 --idle 5 --runs 1 --histogram 0 (top N classes per connection)
                             --bus local|redis|both (storm on node 0) --warmup 0 (seconds of connects, closed
                             again, before each measured pass) --jfr DIR --profile DIR (as fanout, over the connects)
              fanout         --bus local|redis|both --nodes 2 --rooms 100 --members 20 --publishers 100
                             --rate 1000 (publishes/s) --seconds 20 --warmup 3 --payload 256 --runs 3
                             --warmup-rate N (publishes/s during the warm-up; default --rate: a low rate
                             needs a faster warm-up, or it measures code the JIT has not compiled yet)
                             --ceiling (Redis pub/sub alone, when a Redis bus runs)
                             --redis-cluster P (the Redis bus on a Redis Cluster of P primaries, one replica
                             each; the ceiling then uses SPUBLISH per shard; docs/redis-cluster.md)
                             --history on|off|both (off: roomcast.history.size=0; both: each bus with history
                             on and off, passes interleaved, ratios on / off)
                             --jfr DIR (JFR recording of each node) --profile DIR (async-profiler CPU profile
                             of each node, kernel frames included: flame graph and collapsed stacks)
              ramp           fanout's --bus --nodes --redis-cluster --rooms --members --publishers --seconds --warmup
                             --warmup-rate --payload --jfr --profile; --rate 1000 (the first step) --step 1.5
                             --max-steps 8 (one pass per step: no --runs, --history, --ceiling or comparisons)
              slow-consumer  the same options as ramp but --step/--max-steps, plus --rate 1000 --runs 3; --payload
                             defaults to 1024; one extra member joins every room and never reads
              presence       --members 10000 --rate 1000 (connect+join/s) --room-size 100 --nodes 1 --runs 1:
                             Redis bus with presence on, then off; joins/s, CPU per join, Redis bytes per member
            servers: started here from target/liberty/wlp (--bus, --nodes; --config DIR instead of liberty/,
              --war FILE instead of target/roomcast.war), or given:
              --urls ws://127.0.0.1:9080/ws,... --pids 1234,... (pids enable CPU/memory figures)
            compared in the same sitting (fanout, connections): passes interleaved with the measured ones,
              warmed up alike; each measured figure (CPU per delivery or per connect, latency, memory)
              gets a ratio column against the reference's median of the same run:
              --floor DIR           the Liberty floor project (e.g. ../shared/bench/liberty-floor; built
                                    with mvn when DIR/target/floor.war is missing), one node, websocket-2.1 only
              --baseline-war FILE   an older Roomcast build, same buses and nodes (e.g. main's WAR)
              --baseline-config DIR its server.xml/jvm.options folder (default: the same as --config)
            paths are relative to the repository root; docs/BENCHMARKS.md has the recipes.
            """;
}
