package io.roomcast.bus.redis;

import io.roomcast.bus.PresenceStore;
import java.time.Duration;

/** The Redis presence store for tests of other packages (its classes are package-private here). */
public final class RedisTestStores {

    /** A store and its connection pool; closing it closes the pool. */
    public record Presence(PresenceStore store, Runnable pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.run();
        }
    }

    private RedisTestStores() {
    }

    public static Presence presence(String url, int poolSize, Duration timeout) {
        RedisConnections connections = new RedisConnections(url, poolSize, timeout);
        return new Presence(RedisPresenceStore.create(connections), connections::close);
    }
}
