package io.roomcast.ws;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.JsonText;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.RoomId;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.Map;

/**
 * Reads client frames and writes the server's control frames (PROTOCOL.md section 1). Room
 * {@code message} frames are encoded by the room layer, once per message.
 */
final class FrameCodec {

    static final int MAX_REF_LENGTH = 64;

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private FrameCodec() {
    }

    /** Parses one frame; {@code bad_json} unless it is exactly one JSON object. */
    static JsonObject parseObject(String text) {
        JsonValue frame = JsonText.parseOne(text, "frame");
        if (frame.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new ProtocolException(ErrorCode.BAD_JSON, "A frame must be one JSON object");
        }
        return frame.asJsonObject();
    }

    /** The frame's {@code ref}, or null; {@code bad_request} if it is not a string of at most 64 chars. */
    static String ref(JsonObject frame) {
        JsonValue ref = frame.get("ref");
        if (ref == null) {
            return null;
        }
        if (!(ref instanceof JsonString text) || text.getString().length() > MAX_REF_LENGTH) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "ref must be a string of at most 64 characters");
        }
        return text.getString();
    }

    /** Validates the rest of the frame; errors do not lose the already known {@code ref}. */
    static Request request(JsonObject frame, String ref) {
        String type = requiredString(frame, "type");
        return switch (type) {
            case "join" -> new Request(type, ref, RoomId.require(requiredString(frame, "room")), null, presenceFlag(frame));
            case "leave", "presence" -> new Request(type, ref, RoomId.require(requiredString(frame, "room")), null);
            case "publish" -> new Request(type, ref, RoomId.require(requiredString(frame, "room")), data(frame));
            case "ping" -> new Request(type, ref, null, null);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "Unknown type: " + abbreviate(type));
        };
    }

    /** A join's optional {@code presence}: true or false, anything else is {@code bad_request}. */
    private static boolean presenceFlag(JsonObject frame) {
        JsonValue flag = frame.get("presence");
        if (flag == null || flag == JsonValue.FALSE) {
            return false;
        }
        if (flag != JsonValue.TRUE) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "presence must be true or false");
        }
        return true;
    }

    private static JsonValue data(JsonObject frame) {
        JsonValue data = frame.get("data");
        if (data == null) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "publish needs a data field");
        }
        return data;
    }

    private static String requiredString(JsonObject frame, String field) {
        JsonValue value = frame.get(field);
        if (!(value instanceof JsonString text)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, field + " is required and must be a string");
        }
        return text.getString();
    }

    private static String abbreviate(String text) {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }

    static String welcome(String session, String node) {
        return write(json -> json.write("type", "welcome").write("session", session).write("node", node));
    }

    static String joined(String room, String ref) {
        return roomReply("joined", room, ref);
    }

    static String left(String room, String ref) {
        return roomReply("left", room, ref);
    }

    private static String roomReply(String type, String room, String ref) {
        return write(json -> withRef(json.write("type", type).write("room", room), ref));
    }

    /** {@code {"type":"presence",...body}}, with the request's {@code ref}. */
    static String presence(JsonObject body, String ref) {
        return write(json -> {
            json.write("type", "presence");
            body.forEach(json::write);
            withRef(json, ref);
        });
    }

    static String ack(String ref, String id) {
        return write(json -> json.write("type", "ack").write("ref", ref).write("id", id));
    }

    static String pong(String ref) {
        return write(json -> withRef(json.write("type", "pong"), ref));
    }

    /** The error frame of a refusal, with its extra fields (e.g. {@code shard}, {@code url}). */
    static String error(ProtocolException refusal, String ref) {
        return write(json -> {
            json.write("type", "error").write("code", refusal.code().wire()).write("message", refusal.getMessage());
            refusal.details().forEach(json::write);
            withRef(json, ref);
        });
    }

    private static void withRef(JsonGenerator json, String ref) {
        if (ref != null) {
            json.write("ref", ref);
        }
    }

    private interface Fields {
        void write(JsonGenerator json);
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEnd();
        }
        return out.toString();
    }
}
