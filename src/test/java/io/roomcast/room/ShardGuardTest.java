package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShardGuardTest {

    private static final Caller ANN = Caller.anonymous("ann");

    private static ShardGuard guard(Map<String, String> keys) {
        Sharding sharding = new Sharding();
        sharding.config = new RoomcastConfig(key -> Optional.ofNullable(keys.get(key)));
        ShardGuard guard = new ShardGuard();
        guard.sharding = sharding;
        return guard;
    }

    @Test
    void enforcedShardRefusesOtherShardsRoomsNamingTheRightShardAndUrl() {
        ShardGuard guard = guard(Map.of("roomcast.shards.count", "4", "roomcast.shards.self", "0",
                "roomcast.shards.enforce", "true", "roomcast.shards.url-template", "wss://ws-{shard}.example.com/ws"));
        assertDoesNotThrow(() -> guard.checkJoin(ANN, "chat")); // shard 0
        ProtocolException refused = assertThrows(ProtocolException.class, () -> guard.checkJoin(ANN, "lobby"));
        assertEquals(ErrorCode.WRONG_SHARD, refused.code());
        assertEquals(2, refused.details().getInt("shard"));
        assertEquals("wss://ws-2.example.com/ws", refused.details().getString("url"));
        assertThrows(ProtocolException.class, () -> guard.checkPublish(ANN, "news"), "HTTP publish is refused too");
    }

    @Test
    void withoutUrlTemplateTheErrorStillNamesTheShard() {
        ShardGuard guard = guard(Map.of("roomcast.shards.count", "4", "roomcast.shards.self", "1",
                "roomcast.shards.enforce", "true"));
        ProtocolException refused = assertThrows(ProtocolException.class, () -> guard.checkJoin(ANN, "news"));
        assertEquals(3, refused.details().getInt("shard"));
        assertTrue(refused.details().isNull("url"));
    }

    @Test
    void notEnforcedAcceptsEveryRoom() {
        ShardGuard guard = guard(Map.of("roomcast.shards.count", "4", "roomcast.shards.self", "1"));
        assertDoesNotThrow(() -> guard.checkJoin(ANN, "lobby"));
        assertDoesNotThrow(() -> guard.checkPublish(ANN, "news"));
    }
}
