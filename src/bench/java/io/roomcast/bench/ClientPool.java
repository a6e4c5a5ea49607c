package io.roomcast.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK WebSocket clients the generator's connections are spread over. Several clients,
 * because one reads all its sockets on a single selector thread; one small shared executor
 * for their callbacks.
 */
final class ClientPool implements AutoCloseable {

    private static final int CLIENTS = 4;

    private final ExecutorService executor = Executors.newFixedThreadPool(CLIENTS, runnable -> {
        Thread thread = new Thread(runnable, "bench");
        thread.setDaemon(true);
        return thread;
    });
    private final List<HttpClient> clients = new ArrayList<>();

    ClientPool() {
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().executor(executor).build());
        }
    }

    /** The client for connection number {@code index}. */
    HttpClient client(int index) {
        return clients.get(index % clients.size());
    }

    /** Drops {@code members}' connections at once (no close handshake) and the clients' threads. */
    void abortAll(Member[] members) {
        for (Member m : members) {
            if (m != null) {
                m.abort();
            }
        }
        close();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
