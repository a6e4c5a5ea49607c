package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusListener;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.MessageBusContract;
import io.roomcast.config.RoomcastConfig;
import it.io.roomcast.support.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The bus contract for the Redis bus, in this JVM, against one Redis or a Redis Cluster: the
 * subclass names the {@code roomcast.redis.url}; buses, their pools and threads end after each test.
 */
abstract class RedisBusContract extends MessageBusContract {

    private final List<RedisConnections> pools = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    /** The {@code roomcast.redis.url} of the Redis under test. */
    protected abstract String url();

    @AfterEach
    void closePools() {
        pools.forEach(RedisConnections::close);
        scheduler.shutdownNow();
    }

    @Override
    protected MessageBus startBus(String nodeId, BusListener listener, int historySize) throws Exception {
        MessageBus bus = createBus(nodeId, url(), listener, historySize);
        Poll.until(() -> bus.health().up(), "bus healthy", WAIT);
        return bus;
    }

    @Override
    protected MessageBus otherNode(MessageBus bus) throws Exception {
        return bus("node-other", e -> { });
    }

    @Test
    void theNodeDirectoryListsLiveNodesWithoutScanningAndDropsAnExpiredOne() throws Exception {
        RedisConnections connections = new RedisConnections(url(), 2, Duration.ofSeconds(1));
        pools.add(connections);
        RedisNodeDirectory directory = new RedisNodeDirectory();
        directory.connections = connections;
        long scansBefore = scans(connections);
        directory.announce("dir-live", "{\"node\":\"dir-live\"}", Duration.ofMinutes(1));
        directory.announce("dir-dying", "{\"node\":\"dir-dying\"}", Duration.ofMillis(300));
        assertTrue(directory.announcements().containsAll(List.of("{\"node\":\"dir-live\"}", "{\"node\":\"dir-dying\"}")));
        Poll.until(() -> !directory.announcements().contains("{\"node\":\"dir-dying\"}"), "the expired node is gone", WAIT);
        directory.announce("dir-live", "{\"node\":\"dir-live\",\"n\":2}", Duration.ofMinutes(1));
        assertEquals(List.of("{\"node\":\"dir-live\",\"n\":2}"),
                directory.announcements().stream().filter(a -> a.contains("dir-")).toList(), "the latest stats, once");
        assertEquals(scansBefore, scans(connections), "a read costs O(nodes): no SCAN of the keyspace");
    }

    /** SCAN calls served so far by every primary. */
    private static long scans(RedisConnections connections) {
        long calls = 0;
        for (HostAndPort primary : connections.primaries()) {
            try (Jedis jedis = connections.borrow(primary)) {
                Matcher scan = Pattern.compile("cmdstat_scan:calls=(\\d+)").matcher(jedis.info("commandstats"));
                calls += scan.find() ? Long.parseLong(scan.group(1)) : 0;
            }
        }
        return calls;
    }

    /** A started bus on {@code url}, perhaps not healthy yet; the caller closes it. */
    protected final MessageBus createBus(String nodeId, String url, BusListener listener, int historySize) {
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(Map.of(
                "roomcast.node-id", nodeId, "roomcast.redis.url", url,
                "roomcast.redis.probe-interval-ms", "200", "roomcast.redis.timeout-ms", "1000",
                "roomcast.history.size", Integer.toString(historySize),
                "roomcast.history.keys-per-room", Integer.toString(KEYS_PER_ROOM)).get(key)));
        RedisConnections connections = new RedisConnections(url, 2, Duration.ofSeconds(1));
        pools.add(connections);
        return RedisMessageBus.create(config, connections, Executors.defaultThreadFactory(), scheduler, listener);
    }
}
