package io.roomcast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomcastConfigTest {

    private static RoomcastConfig config(Map<String, String> values) {
        return new RoomcastConfig(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsAreTheContractDefaults() {
        RoomcastConfig config = config(Map.of());
        assertEquals(10_000, config.maxConnections());
        assertEquals(100, config.maxRoomsPerConnection());
        assertEquals(65_536, config.maxMessageBytes());
        assertEquals(100, config.messagesPerSecond());
        assertEquals(List.of(), config.allowedOrigins());
        assertEquals(Duration.ofSeconds(30), config.drainTime());
        assertTrue(config.redisUrl().isEmpty());
        assertEquals(1, config.shardCount());
        assertFalse(config.shardEnforce());
        assertFalse(config.nodeId().isBlank());
    }

    @Test
    void nodeIdsDifferBetweenNodesByDefault() {
        assertFalse(config(Map.of()).nodeId().equals(config(Map.of()).nodeId())
                && config(Map.of()).nodeId().equals(config(Map.of()).nodeId()));
    }

    @Test
    void readsListsAndTrimsValues() {
        RoomcastConfig config = config(Map.of("roomcast.allowed-origins", " https://a.example , https://b.example,, ",
                "roomcast.redis.url", "  ", "roomcast.max-connections", " 50 "));
        assertEquals(List.of("https://a.example", "https://b.example"), config.allowedOrigins());
        assertTrue(config.redisUrl().isEmpty(), "blank means unset");
        assertEquals(50, config.maxConnections());
    }

    @Test
    void redisUrlNamesOneRedisOrAClusterBySeedNodes() {
        assertFalse(config(Map.of("roomcast.redis.url", "redis://127.0.0.1:6379")).redisCluster());
        assertFalse(config(Map.of("roomcast.redis.url", "rediss://user:pw@redis.example:6380/2")).redisCluster());
        for (String url : List.of("redis-cluster://127.0.0.1:7000", "redis-cluster://a:7000,b:7001,10.0.0.3:7002",
                "rediss-cluster://user:p%40ss@a.example:6380,b.example:6380/")) {
            assertTrue(config(Map.of("roomcast.redis.url", url)).redisCluster(), url);
        }
        for (String url : List.of("redis-cluster://", "redis-cluster://a", "redis-cluster://a:7000,", "redis-cluster://a:port",
                "redis-cluster://a:7000/3", "http://a:7000", "cluster://a:7000")) {
            assertMessageNames("roomcast.redis.url", Map.of("roomcast.redis.url", url));
        }
    }

    @Test
    void invalidValuesFailWithTheKeyInTheMessage() {
        assertMessageNames("roomcast.max-connections", Map.of("roomcast.max-connections", "lots"));
        assertMessageNames("roomcast.max-message-bytes", Map.of("roomcast.max-message-bytes", "0"));
        assertMessageNames("roomcast.shards.enforce", Map.of("roomcast.shards.enforce", "yes"));
        assertMessageNames("roomcast.send.stall-ms", Map.of("roomcast.send.stall-ms", "6000"));
        assertMessageNames("roomcast.shards.self", Map.of("roomcast.shards.count", "4", "roomcast.shards.self", "4"));
        assertMessageNames("roomcast.shards.self", Map.of("roomcast.shards.enforce", "true"));
    }

    @Test
    void historyKeepsAHundredMessagesForTenMinutesUnlessTurnedOff() {
        RoomcastConfig defaults = config(Map.of());
        assertEquals(100, defaults.historySize());
        assertEquals(Duration.ofSeconds(600), defaults.historyTtl());
        assertTrue(defaults.historyOn());
        RoomcastConfig off = config(Map.of("roomcast.history.size", "0"));
        assertFalse(off.historyOn());
        assertEquals(10_000, config(Map.of("roomcast.history.size", "10000")).historySize());
        assertMessageNames("roomcast.history.size", Map.of("roomcast.history.size", "10001"));
        assertMessageNames("roomcast.history.size", Map.of("roomcast.history.size", "-1"));
        assertMessageNames("roomcast.history.ttl-seconds", Map.of("roomcast.history.ttl-seconds", "0"));
        assertMessageNames("roomcast.history.ttl-seconds", Map.of("roomcast.history.ttl-seconds", "ten"));
    }

    @Test
    void advertisedUrlIsOptionalAndLosesItsTrailingSlash() {
        assertTrue(config(Map.of()).advertisedUrl().isEmpty());
        assertEquals(Optional.of("http://10.0.0.5:9080/chat"),
                config(Map.of("roomcast.advertised-url", "http://10.0.0.5:9080/chat/")).advertisedUrl());
        assertMessageNames("roomcast.advertised-url", Map.of("roomcast.advertised-url", "10.0.0.5:9080"));
    }

    @Test
    void adminApiIsLocalOnlyUnlessAllowRemoteIsSet() {
        assertFalse(config(Map.of()).adminAllowRemote());
        assertTrue(config(Map.of("roomcast.admin.allow-remote", "true")).adminAllowRemote());
        assertMessageNames("roomcast.admin.allow-remote", Map.of("roomcast.admin.allow-remote", "yes"));
    }

    @Test
    void redisCaFileIsOnlyForATlsRedis() {
        assertTrue(config(Map.of()).redisCaFile().isEmpty());
        assertEquals(Path.of("/etc/roomcast/redis/ca.crt"), config(Map.of("roomcast.redis.url",
                "rediss://redis:6380", "roomcast.redis.ca-file", "/etc/roomcast/redis/ca.crt")).redisCaFile().orElseThrow());
        assertTrue(config(Map.of("roomcast.redis.url", "rediss-cluster://a:6380", "roomcast.redis.ca-file", "ca.crt"))
                .redisCaFile().isPresent());
        assertMessageNames("roomcast.redis.ca-file", Map.of("roomcast.redis.url", "redis://redis:6379",
                "roomcast.redis.ca-file", "ca.crt"));
        assertMessageNames("roomcast.redis.ca-file", Map.of("roomcast.redis.ca-file", "ca.crt"));
    }

    private static void assertMessageNames(String key, Map<String, String> values) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(values));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
