package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceStoreContract;
import it.io.roomcast.support.RedisCluster;
import it.io.roomcast.support.RedisServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis presence store on a real Redis Cluster (3 primaries): the store contract, and each
 * room's presence kept in its room's slot, so one room's changes are one shard's atomic script.
 */
@Timeout(120)
class RedisClusterPresenceStoreIT extends PresenceStoreContract {

    private static RedisCluster cluster;
    private RedisConnections connections;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start(3, Duration.ofMillis(1000));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closePoolAndForget() throws Exception {
        connections.close();
        for (RedisServer primary : cluster.primaries()) {
            primary.command("FLUSHALL");
        }
    }

    @Override
    protected PresenceStore store() {
        connections = new RedisConnections(cluster.url(), 1, Duration.ofSeconds(2));
        return RedisPresenceStore.create(connections);
    }

    @Test
    void roomsOnEveryShardKeepTheirPresenceBesideTheirChannel() throws Exception {
        PresenceStore store = store();
        Set<Integer> shardsUsed = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            String room = "room-" + i;
            store.add(new PresenceEntry(room, "node-a", "s" + i, "user-" + i));
            RedisServer owner = cluster.ownerOf(RedisNames.roomChannel(room));
            shardsUsed.add(owner.port());
            assertTrue(owner.command("EXISTS " + RedisNames.presenceKey(room)).startsWith(":1"),
                    room + "'s presence is on the shard of its channel");
            assertEquals(1, store.read(room, 100).count());
        }
        assertEquals(3, shardsUsed.size(), "30 rooms spread over every primary");
        assertEquals(30, store.entriesOf("node-a").size(), "a node's entries are found on every shard");
        assertEquals(List.of("node-a"), store.deadNodes("node-b", Duration.ZERO), "node-a never marked itself alive");
    }
}
