package io.roomcast.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK WebSocket clients the generator's connections are spread over. Several clients,
 * because one reads all its sockets on a single selector thread. Each client runs its
 * callbacks (listeners, completions) on that selector thread: handing every received frame to
 * a pool thread added a thread wake-up, 0.7 ms at the median on a loaded 2-core VM, to every
 * latency the benchmark measured (docs/BENCHMARKS.md, "Cross-node latency"). The callbacks
 * only count and chain sends, so they never hold the selector up.
 */
final class ClientPool {

    private static final int CLIENTS = 4;

    private final List<HttpClient> clients = new ArrayList<>();

    ClientPool() {
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().executor(Runnable::run).build());
        }
    }

    /** The client for connection number {@code index}. */
    HttpClient client(int index) {
        return clients.get(index % clients.size());
    }

    /**
     * Drops {@code members}' connections at once (no close handshake); each client's selector
     * thread (a daemon) ends once its client is unreachable.
     */
    void abortAll(Member[] members) {
        for (Member m : members) {
            if (m != null) {
                m.abort();
            }
        }
    }
}
