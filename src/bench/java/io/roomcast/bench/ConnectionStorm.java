package io.roomcast.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * C connections opened to one node at a bounded rate (and at most 200 handshakes in flight),
 * each timed from the TCP connect to the server's {@code welcome}; kept open until
 * {@link #close()}.
 */
final class ConnectionStorm implements AutoCloseable {

    private static final int IN_FLIGHT = 200;

    private final ClientPool clients = new ClientPool();
    private final Member[] members;
    final Samples handshakes = new Samples();
    final AtomicInteger failures = new AtomicInteger();
    double seconds;

    private ConnectionStorm(int count) {
        members = new Member[count];
    }

    /** Opens {@code count} connections to node 0 at {@code rate} per second; returns when all are settled. */
    static ConnectionStorm open(Servers servers, int count, int rate) throws Exception {
        ConnectionStorm storm = new ConnectionStorm(count);
        long start = System.nanoTime();
        storm.connect(servers, rate);
        storm.seconds = (System.nanoTime() - start) / 1e9;
        return storm;
    }

    int open() {
        return members.length - failures.get();
    }

    private void connect(Servers servers, int rate) throws Exception {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Void>> all = new ArrayList<>(members.length);
        long start = System.nanoTime();
        for (int i = 0; i < members.length; i++) {
            LockSupport.parkNanos(start + (long) (i * 1e9 / rate) - System.nanoTime());
            inFlight.acquire();
            members[i] = new Member(0, frame -> { });
            long began = System.nanoTime();
            all.add(members[i].connect(clients.client(i), servers.ws(0)).whenComplete((v, e) -> {
                inFlight.release();
                settled(began, e);
            }).exceptionally(e -> null));
            if (i > 0 && i % 2000 == 0) {
                Progress.say(i + " connections, " + failures.get() + " failed");
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    private void settled(long began, Throwable failure) {
        if (failure != null) {
            failures.incrementAndGet();
            return;
        }
        synchronized (handshakes) {
            handshakes.add((System.nanoTime() - began) / 1_000);
        }
    }

    @Override
    public void close() {
        clients.abortAll(members);
    }
}
