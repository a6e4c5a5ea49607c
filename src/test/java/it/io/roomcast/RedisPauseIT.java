package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Processes;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis that stops answering ({@code CLIENT PAUSE ... ALL}) stalls only what needs Redis: a
 * join to a room the node already subscribes is answered at once, while a join to a room new to
 * the node waits for Redis's confirmation. No lock shared between rooms is held across Redis I/O.
 * History is off here, since a join with history reads it from Redis.
 */
class RedisPauseIT {

    private static final long PAUSE_MILLIS = 3_000;

    private static RedisServer redis;
    private static LibertyNode node;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        node = LibertyNode.start("redis-pause", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-p",
                "ROOMCAST_REDIS_URL", redis.url(), "ROOMCAST_HISTORY_SIZE", "0",
                // Longer than the pause: the node waits for Redis rather than declaring it lost.
                "ROOMCAST_REDIS_TIMEOUT_MS", "10000"));
    }

    @AfterAll
    static void stop() throws Exception {
        Processes.closeAll(node, redis);
    }

    @Test
    void joinsToSubscribedRoomsAnswerWhileRedisIsPausedAndNewRoomsWaitForIt() throws Exception {
        try (WsClient first = WsClient.connect(node.ws());
             WsClient second = WsClient.connect(node.ws());
             WsClient newcomer = WsClient.connect(node.ws())) {
            first.join("warm");

            long pauseStarted = System.nanoTime();
            assertTrue(redis.command("CLIENT PAUSE " + PAUSE_MILLIS + " ALL").startsWith("+OK"));
            long pauseEnds = pauseStarted + TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS); // Redis ends it no earlier

            newcomer.send("{\"type\":\"join\",\"room\":\"cold\",\"ref\":\"c\"}"); // waits for Redis
            second.join("warm");
            long warmAnswered = System.nanoTime();
            assertTrue(warmAnswered < pauseEnds, "the join to a subscribed room was answered "
                    + TimeUnit.NANOSECONDS.toMillis(warmAnswered - pauseStarted) + " ms into a "
                    + PAUSE_MILLIS + " ms pause, not at once");

            JsonObject cold = newcomer.next();
            long coldAnswered = System.nanoTime();
            assertEquals("joined", cold.getString("type"), cold.toString());
            assertTrue(coldAnswered >= pauseEnds, "a room new to the node is joined only once Redis confirmed it, "
                    + TimeUnit.NANOSECONDS.toMillis(pauseEnds - coldAnswered) + " ms before the pause ended");

            // After the pause every room works as before: both members of warm get a publish.
            first.send("{\"type\":\"publish\",\"room\":\"warm\",\"data\":\"after\",\"ref\":\"p\"}");
            assertEquals("after", second.messages(1).get(0).getString("data"));
            assertEquals("after", first.messages(1).get(0).getString("data"));
            newcomer.send("{\"type\":\"publish\",\"room\":\"cold\",\"data\":\"cold too\"}");
            assertEquals("cold too", newcomer.messages(1).get(0).getString("data"));
        }
    }
}
