package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Sharding#shardFor} against values computed by the TypeScript reference itself
 * ({@code src/test/node/shard-vectors.mjs}, committed output, so node is not needed here).
 */
class ShardingTest {

    private static List<JsonObject> vectors() throws Exception {
        try (var in = ShardingTest.class.getResourceAsStream("shard-vectors.jsonl");
             var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return lines.lines().map(line -> Json.createReader(new StringReader(line)).readObject()).toList();
        }
    }

    @Test
    void everyReferenceVectorGetsTheReferenceShard() throws Exception {
        List<JsonObject> vectors = vectors();
        assertTrue(vectors.size() > 400, "the vector file was read");
        for (JsonObject v : vectors) {
            String room = v.getString("room");
            int shards = v.getInt("shards");
            assertEquals(v.getInt("shard"), Sharding.shardFor(room, shards), () -> "room " + v);
        }
    }

    @Test
    void hashOfMinusTwoToThe31IsTakenAbsoluteLikeJavaScript() throws Exception {
        JsonObject extreme = vectors().stream().filter(v -> v.getJsonNumber("hash").longValue() == Integer.MIN_VALUE)
                .filter(v -> v.getInt("shards") == 3).findFirst().orElseThrow();
        // |-2^31| = 2^31 and 2^31 % 3 = 2; Java's Math.abs(int) would give a negative shard.
        assertEquals(2, Sharding.shardFor(extreme.getString("room"), 3));
        assertTrue(RoomId.isValid(extreme.getString("room")), "a real room id can hit this case");
    }

    @Test
    void emptyRoomAndSingleShardAreShardZero() {
        assertEquals(0, Sharding.shardFor("", 7));
        assertEquals(0, Sharding.shardFor("anything", 1));
    }

    @Test
    void zeroShardsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sharding.shardFor("lobby", 0));
    }
}
