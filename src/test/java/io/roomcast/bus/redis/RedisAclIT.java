package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceStoreContract;
import it.io.roomcast.support.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The bus contract and the presence store contract as the Redis user of deploy/redis/users.acl,
 * the ACL docs/production.md gives operators: every command Roomcast runs, inside its scripts
 * too, is in that list, and nothing outside {@code roomcast:} keys and channels is touched. (The
 * file's disabled default user is enabled here for the tests' own checks, FLUSHALL and the like.)
 */
class RedisAclIT {

    private static final String PASSWORD = "acl-test-password";

    private static RedisServer redis;
    private static String url;

    @BeforeAll
    static void startRedisWithTheAcl() throws Exception {
        String acl = Files.readString(Path.of("deploy/redis/users.acl"))
                .replace("user default off", "user default on nopass ~* &* +@all")
                .replace(">CHANGE-ME", ">" + PASSWORD);
        Path file = Files.createTempFile("roomcast", ".acl");
        Files.writeString(file, acl);
        redis = RedisServer.start(List.of("--aclfile", file.toString()));
        url = "redis://roomcast:" + PASSWORD + "@127.0.0.1:" + redis.port();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Nested
    class Bus extends RedisBusContract {

        @Override
        protected String url() {
            return url;
        }

        @Override
        protected void loseHistory(String room) throws Exception {
            assertTrue(redis.command("DEL roomcast:{" + room + "}:meta roomcast:{" + room + "}:history").startsWith(":"));
        }

        /** Not run here: the test itself reads INFO commandstats, which the ACL rightly leaves out. */
        @Override
        void theNodeDirectoryListsLiveNodesWithoutScanningAndDropsAnExpiredOne() {
        }
    }

    @Nested
    class Presence extends PresenceStoreContract {

        private RedisConnections connections;

        @AfterEach
        void closePool() throws Exception {
            connections.close();
            redis.command("FLUSHALL");
        }

        @Override
        protected PresenceStore store() {
            connections = new RedisConnections(url, 1, Duration.ofSeconds(2));
            return RedisPresenceStore.create(connections);
        }
    }
}
