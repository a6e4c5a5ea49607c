package io.roomcast.room;

import io.roomcast.bus.History;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.Map;

/**
 * Encodes a history read (contract section 7) for the WebSocket {@code history} frame and the
 * HTTP history resource alike. The kept frames are spliced in as they are: no re-parse.
 */
public final class HistoryReply {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private HistoryReply() {
    }

    /**
     * @param type {@code history} for the frame, null for the HTTP body
     * @param ref  the request's ref, or null
     */
    public static String encode(String type, String room, History history, String ref) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject();
            if (type != null) {
                json.write("type", type);
            }
            json.write("room", room);
            if (history.epoch() != null) { // history off: no epoch, no offset (contract section 7)
                json.write("epoch", history.epoch()).write("offset", history.top());
            }
            if (ref != null) {
                json.write("ref", ref);
            }
            json.writeEnd();
        }
        String head = out.toString();
        int length = head.length() + 16;
        for (String frame : history.frames()) {
            length += frame.length() + 1;
        }
        StringBuilder reply = new StringBuilder(length).append(head, 0, head.length() - 1).append(",\"messages\":[");
        String separator = "";
        for (String frame : history.frames()) {
            reply.append(separator).append(frame);
            separator = ",";
        }
        return reply.append("]}").toString();
    }
}
