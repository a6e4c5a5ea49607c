package io.roomcast.bench;

import it.io.roomcast.support.Http;
import it.io.roomcast.support.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code presence}: the cost of presence on the join path, and its Redis memory. M clients
 * connect and join rooms of R members at a bounded rate, against Redis-bus nodes started with
 * presence on, then again with presence off ({@code roomcast.presence.enabled=false}); reports
 * joins per second, node and Redis CPU per join, and (presence on) the Redis bytes per member
 * from {@code MEMORY USAGE} of every room's presence hashes.
 */
final class PresenceScenario {

    private static final int IN_FLIGHT = 200;

    private PresenceScenario() {
    }

    static void run(Options options) throws Exception {
        int members = options.integer("members", 10_000);
        int rate = options.integer("rate", 1000);
        int roomSize = options.integer("room-size", 100);
        int nodes = options.integer("nodes", 1);
        int runs = options.integer("runs", 1);
        options.rejectUnknown();
        Report report = new Report("presence").setting("members", members).setting("rate", rate)
                .setting("room-size", roomSize).setting("nodes", nodes);
        for (boolean presence : new boolean[] {true, false}) {
            Servers servers = Servers.start(new Servers.Layout("redis", nodes, 0, false),
                    Map.of("ROOMCAST_PRESENCE_ENABLED", Boolean.toString(presence)));
            try {
                for (int run = 1; run <= runs; run++) {
                    report.add(once(servers, presence, members, rate, roomSize));
                }
            } finally {
                servers.close();
            }
        }
        report.ratio("node CPU per join, presence on / off", "node_cpu_ms_per_join", "presence-on", "presence-off");
        report.print();
    }

    private static Result once(Servers servers, boolean presence, int count, int rate, int roomSize) throws Exception {
        long[] pids = servers.allPids();
        RedisServer redis = servers.redis();
        double cpuBefore = Proc.cpuSeconds(pids);
        double redisBefore = Proc.cpuSeconds(redis.pid());
        ClientPool clients = new ClientPool();
        Member[] members = new Member[count];
        AtomicInteger failures = new AtomicInteger();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<?>> all = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(start + (long) (i * 1e9 / rate) - System.nanoTime());
            inFlight.acquire();
            int node = i % servers.size();
            Member member = new Member(node, frame -> { });
            members[i] = member;
            String room = "bench-" + i / roomSize;
            all.add(member.connect(clients.client(i), servers.ws(node)).thenCompose(v -> member.join(room))
                    .whenComplete((v, e) -> {
                        inFlight.release();
                        if (e != null) {
                            failures.incrementAndGet();
                        }
                    }).exceptionally(e -> null));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        int joined = count - failures.get();
        int rooms = (count + roomSize - 1) / roomSize;
        long bytes = presence ? presenceBytes(redis, rooms, joined) : 0;
        double cpu = Proc.cpuSeconds(pids) - cpuBefore;
        double redisCpu = Proc.cpuSeconds(redis.pid()) - redisBefore;
        clients.abortAll(members);
        for (int node = 0; node < servers.size(); node++) {
            Http.awaitMetric(servers.metrics(node), "websocket_connections_total", v -> v == 0);
        }
        Result result = new Result(presence ? "presence-on" : "presence-off")
                .put("joined", joined)
                .put("failures", failures.get())
                .put("joins_per_s", Result.round(joined / seconds, 0))
                .put("node_cpu_ms_per_join", Result.round(cpu * 1000 / Math.max(1, joined), 3))
                .put("redis_cpu_ms_per_join", Result.round(redisCpu * 1000 / Math.max(1, joined), 3));
        if (presence) {
            result.put("redis_bytes_per_member", Result.round((double) bytes / Math.max(1, joined), 1))
                    .put("redis_mib_per_10k_members", Result.round(bytes * 10_000.0 / Math.max(1, joined) / (1 << 20), 2));
        }
        return result;
    }

    /**
     * Bytes of every room's two presence hashes, once all {@code joined} members are stored
     * (writes are asynchronous: waits up to 30 s for the counts).
     */
    private static long presenceBytes(RedisServer redis, int rooms, int joined) throws Exception {
        Http.await(() -> {
            long stored = 0;
            for (int room = 0; room < rooms; room++) {
                stored += integer(redis.command("HLEN roomcast:{bench-" + room + "}:presence"));
            }
            return stored;
        }, stored -> stored == joined, java.time.Duration.ofSeconds(30), stored -> stored + " of " + joined + " members stored");
        long bytes = 0;
        for (int room = 0; room < rooms; room++) {
            String key = "roomcast:{bench-" + room + "}:presence";
            bytes += integer(redis.command("MEMORY USAGE " + key + " SAMPLES 0"))
                    + integer(redis.command("MEMORY USAGE " + key + ":users SAMPLES 0"));
        }
        return bytes;
    }

    /** The value of a RESP integer reply ({@code :123}); 0 for a missing key's null reply. */
    private static long integer(String reply) {
        return reply.startsWith(":") ? Long.parseLong(reply.substring(1).trim()) : 0;
    }
}
