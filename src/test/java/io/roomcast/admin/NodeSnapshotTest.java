package io.roomcast.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSnapshotTest {

    @Test
    void topRoomsListsTheLargestRoomsFirstAndAlphabeticallyOnTies() {
        JsonArray top = NodeSnapshot.topRooms(Map.of("b", 2, "a", 2, "big", 9, "small", 1)).build();
        assertEquals(List.of("big", "a", "b", "small"), top.getValuesAs(JsonObject.class).stream()
                .map(room -> room.getString("room")).toList());
        assertEquals(9, top.getJsonObject(0).getInt("members"));
    }

    @Test
    void topRoomsIsBoundedWhateverTheRoomCount() {
        Map<String, Integer> many = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            many.put("room-" + i, i);
        }
        JsonArray top = NodeSnapshot.topRooms(many).build();
        assertEquals(NodeSnapshot.TOP_ROOMS, top.size());
        assertEquals("room-999", top.getJsonObject(0).getString("room"));
    }
}
