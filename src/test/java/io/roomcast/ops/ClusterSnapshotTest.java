package io.roomcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.Json;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 5, unit = TimeUnit.SECONDS)
class ClusterSnapshotTest {

    private static JsonObject node(String id, int connections) {
        return Json.createObjectBuilder().add("node", id).add("connections", connections).build();
    }

    @Test
    void thisNodeComesFirstAndFreshTheOthersByIdAndStrayKeysAreSkipped() {
        JsonArray nodes = ClusterSnapshot.of(node("b", 5), List.of(node("c", 1).toString(), "not json",
                node("b", 0).toString(), "[1]", node("a", 2).toString()));
        assertEquals(List.of("b", "a", "c"), nodes.getValuesAs(JsonObject.class).stream()
                .map(n -> n.getJsonString("node")).map(JsonString::getString).toList());
        assertEquals(5, nodes.getJsonObject(0).getInt("connections"), "this node's fresh stats, not its announcement");
    }
}
