package io.roomcast.room;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.Map;

/** Encodes the contract's {@code message} frame, once per message on the publishing node. */
public final class RoomMessage {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private RoomMessage() {
    }

    public static String encode(String room, JsonValue data, String from, long ts, String id) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject()
                    .write("type", "message")
                    .write("room", room)
                    .write("data", data)
                    .write("from", from)
                    .write("ts", ts)
                    .write("id", id)
                    .writeEnd();
        }
        return out.toString();
    }
}
