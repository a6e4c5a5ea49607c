package io.roomcast.presence;

import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.Map;

/** The JSON presence speaks (PROTOCOL.md section 8): events and the presence body. */
public final class PresenceFrames {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private PresenceFrames() {
    }

    /** {@code {"type":"presence_join"|"presence_leave","room","user","session"}}, encoded once per event. */
    static String event(PresenceEntry entry, boolean joined) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject().write("type", joined ? "presence_join" : "presence_leave")
                    .write("room", entry.room()).write("user", entry.user()).write("session", entry.session())
                    .writeEnd();
        }
        return out.toString();
    }

    /** {@code {"room","count","users","members":[{"user","session","node"}...]}}: the reply minus its type. */
    public static JsonObject body(String room, PresenceSnapshot snapshot) {
        JsonArrayBuilder members = Json.createArrayBuilder();
        snapshot.members().forEach(m -> members.add(Json.createObjectBuilder()
                .add("user", m.user()).add("session", m.session()).add("node", m.node())));
        return Json.createObjectBuilder().add("room", room).add("count", snapshot.count())
                .add("users", snapshot.users()).add("members", members).build();
    }
}
