package io.roomcast.ws;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.JsonText;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.bus.History;
import io.roomcast.room.Accepted;
import io.roomcast.room.HistoryParams;
import io.roomcast.room.HistoryReply;
import io.roomcast.room.IdempotencyKey;
import io.roomcast.room.Joined;
import io.roomcast.room.RoomId;
import io.roomcast.room.Since;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
            case "join" -> new Request(type, ref, room(frame), null, since(frame), null, presenceFlag(frame), null);
            case "leave", "presence" -> new Request(type, ref, room(frame), null);
            case "history" -> new Request(type, ref, room(frame), null, null,
                    HistoryParams.page(frame.get("before"), frame.get("limit")), false, null);
            case "publish" -> new Request(type, ref, room(frame), data(frame), null, null, false, key(frame));
            case "ping" -> new Request(type, ref, null, null);
            case "refresh" -> new Request(type, ref, null, Json.createValue(requiredString(frame, "token")));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "Unknown type: " + abbreviate(type));
        };
    }

    private static String room(JsonObject frame) {
        return RoomId.require(requiredString(frame, "room"));
    }

    /** {@code since}: absent, or an object of a non-negative integer offset and a string epoch. */
    private static Since since(JsonObject frame) {
        JsonValue since = frame.get("since");
        if (since == null) {
            return null;
        }
        if (!(since instanceof JsonObject position) || !(position.get("epoch") instanceof JsonString epoch)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST,
                    "since must be an object with a non-negative integer offset and a string epoch");
        }
        return new Since(HistoryParams.integer(position.get("offset"), "since.offset", 0, HistoryParams.MAX_OFFSET),
                epoch.getString());
    }

    /** A publish's optional idempotency {@code key}: a string (its length is the room layer's rule). */
    private static String key(JsonObject frame) {
        JsonValue key = frame.get("key");
        if (key == null) {
            return null;
        }
        if (!(key instanceof JsonString text)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "key must be a string of 1 to 64 characters");
        }
        return IdempotencyKey.require(text.getString());
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

    /** {@code welcome}, with {@code expires} (Unix ms) when the connection's identity expires. */
    static String welcome(String session, String node, Optional<Instant> expires) {
        return write(json -> {
            json.write("type", "welcome").write("session", session).write("node", node);
            expires.ifPresent(at -> json.write("expires", at.toEpochMilli()));
        });
    }

    /** The warning to refresh before {@code expires} (contract section 10). */
    static String expiring(Instant expires) {
        return write(json -> json.write("type", "expiring").write("expires", expires.toEpochMilli()));
    }

    /** The answer to a successful {@code refresh}: the new expiry. */
    static String refreshed(Instant expires, String ref) {
        return write(json -> withRef(json.write("type", "refreshed").write("expires", expires.toEpochMilli()), ref));
    }

    /** A room left because the connection's refreshed groups may no longer join it. */
    static String leftForbidden(String room) {
        return write(json -> json.write("type", "left").write("room", room).write("reason", "forbidden"));
    }

    /** {@code joined}, with the room's position when history is on, and {@code recovered} after a {@code since}. */
    static String joined(String room, String ref, Joined joined) {
        return write(json -> {
            json.write("type", "joined").write("room", room);
            if (joined.epoch() != null) {
                json.write("offset", joined.offset()).write("epoch", joined.epoch());
            }
            if (joined.recovered() != null) {
                json.write("recovered", joined.recovered());
            }
            withRef(json, ref);
        });
    }

    static String history(String room, History history, String ref) {
        return HistoryReply.encode("history", room, history, ref);
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

    /**
     * {@code ack}; {@code offset} only when history is on (it is 0 otherwise), {@code duplicate}
     * only for a repeated idempotency key (then id and offset are the first message's).
     */
    static String ack(String ref, Accepted accepted) {
        return write(json -> {
            json.write("type", "ack").write("ref", ref).write("id", accepted.id());
            if (accepted.offset() > 0) {
                json.write("offset", accepted.offset());
            }
            if (accepted.duplicate()) {
                json.write("duplicate", true);
            }
        });
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
