package io.roomcast.bench;

import it.io.roomcast.support.Http;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code connections}: C idle connections to one node at a bounded rate; handshake time (TCP
 * connect to {@code welcome}), failures, and the node's heap (after a full GC) and resident
 * memory per connection, measured against the same node before the connections.
 */
final class ConnectionsScenario {

    private static final int IN_FLIGHT = 200;

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
        ExecutorService executor = Executors.newFixedThreadPool(4, Topology.daemon());
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(HttpClient.newBuilder().executor(executor).build());
        }
        Member[] members = new Member[count];
        Samples handshakes = new Samples();
        AtomicInteger failures = new AtomicInteger();
        double cpuBefore = Proc.cpuSeconds(pid);
        double selfBefore = Proc.cpuSeconds(Proc.self());
        long start = System.nanoTime();
        connect(servers, clients, members, rate, handshakes, failures);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        double cpu = Proc.cpuSeconds(pid) - cpuBefore;
        double self = Proc.cpuSeconds(Proc.self()) - selfBefore;
        Progress.say(count + " connected in " + Result.round(connectSeconds, 1) + " s; idle " + idle + " s");
        LockSupport.parkNanos(idle * 1_000_000_000L); // idle connections are the point: nothing to wait for
        int open = count - failures.get();
        long heap = Proc.heapAfterGcKiB(pid) - heapBefore;
        long rss = Proc.rssKiB(pid) - rssBefore;
        if (classesBefore != null) {
            System.out.println("Heap added per open connection, by class:\n"
                    + HeapHistogram.take(pid).perConnection(classesBefore, open, histogram));
        }
        for (Member m : members) {
            m.abort();
        }
        executor.shutdownNow();
        return new Result("1node-" + count)
                .put("connected", open)
                .put("failures", failures.get())
                .put("connects_per_s", Result.round(open / connectSeconds, 0))
                .put("handshake_p50_ms", Result.ms(handshakes.percentile(50)))
                .put("handshake_p99_ms", Result.ms(handshakes.percentile(99)))
                .put("handshake_max_ms", Result.ms(handshakes.percentile(100)))
                .put("node_cpu_ms_per_connect", Result.round(cpu * 1000 / Math.max(1, open), 3))
                .put("generator_cpu_s", Result.round(self, 2))
                .put("node_cpu_s", Result.round(cpu, 2))
                .put("heap_after_gc_mib", Result.round((heapBefore + heap) / 1024.0, 1))
                .put("rss_mib", Result.round(Proc.rssKiB(pid) / 1024.0, 1))
                .put("heap_kib_per_connection", Result.round((double) heap / Math.max(1, open), 2))
                .put("rss_kib_per_connection", Result.round((double) rss / Math.max(1, open), 2));
    }

    private static void connect(Servers servers, List<HttpClient> clients, Member[] members, int rate,
            Samples handshakes, AtomicInteger failures) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> all = new ArrayList<>(members.length);
        long start = System.nanoTime();
        for (int i = 0; i < members.length; i++) {
            long due = start + (long) (i * 1e9 / rate);
            LockSupport.parkNanos(due - System.nanoTime());
            inFlight.acquire();
            members[i] = new Member(0, frame -> { });
            long began = System.nanoTime();
            all.add(members[i].connect(clients.get(i % clients.size()), servers.ws(0)).whenComplete((v, e) -> {
                inFlight.release();
                if (e != null) {
                    failures.incrementAndGet();
                } else {
                    synchronized (handshakes) {
                        handshakes.add((System.nanoTime() - began) / 1_000);
                    }
                }
            }).exceptionally(e -> null));
            if (i > 0 && i % 2000 == 0) {
                Progress.say(i + " connections, " + failures.get() + " failed");
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    /** Waits until the node counts {@code expected} connections (earlier runs' closes are async). */
    private static void awaitConnections(Servers servers, long expected) throws Exception {
        Http.awaitMetric(servers.metrics(0), "websocket_connections_total", v -> v == expected);
    }
}
