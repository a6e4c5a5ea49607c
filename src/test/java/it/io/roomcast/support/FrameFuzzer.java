package it.io.roomcast.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random client frames for one connection, each with what the contract says must come back:
 * an {@code error}, or a non-error answer (for the valid requests mixed in). Deterministic for a
 * given {@link Random}; keeps track of the rooms its connection has joined, so that it knows
 * whether a leave or publish is an error.
 */
public final class FrameFuzzer {

    /** A frame to send: opcode, payload bytes, and whether exactly one {@code error} must answer it. */
    public record Fuzz(int opcode, byte[] bytes, boolean expectsError) {

        static Fuzz text(String text, boolean expectsError) {
            return new Fuzz(1, text.getBytes(StandardCharsets.UTF_8), expectsError);
        }
    }

    private static final String[] TYPES = {"join", "leave", "publish"};
    private static final String NEVER_JOINED = "never-joined";
    private static final String[] INVALID_UTF8 = {"C328", "FF", "C0AF", "EDA080", "F4908080", "E28228", "80"};

    private final Random random;
    private final int maxBytes;
    private final Set<String> joined = new HashSet<>();
    private final List<Supplier<Fuzz>> kinds = List.of(this::garbage, this::truncated, this::trailing,
            this::deepNesting, this::hugeNumber, this::wrongType, this::missingField, this::unknownType,
            this::badRoom, this::nonObject, this::randomObject, this::valid, this::valid);

    public FrameFuzzer(Random random, int maxBytes) {
        this.random = random;
        this.maxBytes = maxBytes;
    }

    /** The next frame: one of the malformed kinds, or a valid request. */
    public Fuzz next() {
        return kinds.get(random.nextInt(kinds.size())).get();
    }

    /**
     * A frame after which the server must close the connection, kind chosen by {@code i}:
     * invalid UTF-8, binary, too large, a reserved opcode, a continuation without a start.
     */
    public Fuzz closing(int i) {
        return switch (i % 5) {
            case 0 -> new Fuzz(1, invalidUtf8(), false);
            case 1 -> new Fuzz(2, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
            case 2 -> Fuzz.text("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(maxBytes + random.nextInt(1000)) + "\"}", false);
            case 3 -> new Fuzz(3 + random.nextInt(5), new byte[random.nextInt(20)], false);
            default -> new Fuzz(0, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
        };
    }

    private byte[] invalidUtf8() {
        byte[] prefix = "{\"type\":\"ping\",\"ref\":\"".getBytes(StandardCharsets.UTF_8);
        String hex = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
        byte[] bytes = new byte[prefix.length + hex.length() / 2 + 2];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        for (int i = 0; i < hex.length() / 2; i++) {
            bytes[prefix.length + i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        bytes[bytes.length - 2] = '"';
        bytes[bytes.length - 1] = '}';
        return bytes;
    }

    /** Random characters that cannot start a JSON object: {@code bad_json}. */
    private Fuzz garbage() {
        String starts = "[]}\"'0123456789-tfnxé€😀\\,:<";
        return Fuzz.text(starts.charAt(random.nextInt(starts.length())) + randomText(random.nextInt(200)), true);
    }

    /** A strict prefix of a valid request is never valid JSON: {@code bad_json}. */
    private Fuzz truncated() {
        String whole = "{\"type\":\"publish\",\"room\":\"" + room() + "\",\"data\":" + randomJson(3) + ",\"ref\":\"t\"}";
        return Fuzz.text(whole.substring(0, random.nextInt(whole.length())), true);
    }

    /** A valid object followed by more text: {@code bad_json}. */
    private Fuzz trailing() {
        return Fuzz.text("{\"type\":\"ping\"}" + "x{}[1\"".charAt(random.nextInt(6)) + randomText(10), true);
    }

    /** Nesting up to the frame limit, balanced or not: {@code bad_json} or (parsed) {@code not_member}. */
    private Fuzz deepNesting() {
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        int limit = (maxBytes - 100) / (open.length() + close.length());
        // Mostly around the parser's depth limit (1000); sometimes up to the frame size limit.
        int depth = 1 + random.nextInt(random.nextInt(20) == 0 ? limit : 3_000);
        String body = open.repeat(depth) + (arrays ? "" : "1") + (random.nextInt(4) == 0 ? "" : close.repeat(depth));
        return Fuzz.text("{\"type\":\"publish\",\"room\":\"" + NEVER_JOINED + "\",\"data\":" + body + "}", true);
    }

    /** Numbers no type holds, as data of a publish to a room not joined: {@code not_member} (or {@code bad_json}). */
    private Fuzz hugeNumber() {
        String[] numbers = {"1e999999999", "-1e-999999999", "1e2147483648", "9".repeat(1 + random.nextInt(20_000)),
            "0." + "0".repeat(random.nextInt(5_000)) + "1e-2147483647", "123456789012345678901234567890.5e+400"};
        String n = numbers[random.nextInt(numbers.length)];
        return Fuzz.text("{\"type\":\"publish\",\"room\":\"" + NEVER_JOINED + "\",\"data\":{\"n\":" + n + "}}", true);
    }

    /** type, room or ref of a wrong JSON type, or a ref over 64 characters: {@code bad_request}. */
    private Fuzz wrongType() {
        String wrong = randomNonString();
        return Fuzz.text(switch (random.nextInt(4)) {
            case 0 -> "{\"type\":" + wrong + ",\"room\":\"r\"}";
            case 1 -> "{\"type\":\"" + TYPES[random.nextInt(3)] + "\",\"room\":" + wrong + ",\"data\":1}";
            case 2 -> "{\"type\":\"ping\",\"ref\":" + wrong + "}";
            default -> "{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65 + random.nextInt(500)) + "\"}";
        }, true);
    }

    /** Each required field missing in turn: {@code bad_request}. */
    private Fuzz missingField() {
        return Fuzz.text(switch (random.nextInt(4)) {
            case 0 -> "{}";
            case 1 -> "{\"room\":\"r\",\"data\":1,\"ref\":\"m\"}";
            case 2 -> "{\"type\":\"" + TYPES[random.nextInt(3)] + "\"}";
            default -> "{\"type\":\"publish\",\"room\":\"" + room() + "\"}";
        }, true);
    }

    private Fuzz unknownType() {
        return Fuzz.text("{\"type\":\"" + jsonEscape("x" + randomText(random.nextInt(300))) + "\"}", true);
    }

    /** Room ids breaking the rule (empty, too long, forbidden characters): {@code bad_room}. */
    private Fuzz badRoom() {
        String[] rooms = {"", "r".repeat(129 + random.nextInt(200)), "a b", "room/1", "ré", "😀", "a\\u0000b", "x#"};
        return Fuzz.text("{\"type\":\"" + TYPES[random.nextInt(3)] + "\",\"room\":\"" + rooms[random.nextInt(rooms.length)]
                + "\",\"data\":1}", true);
    }

    /** Any JSON that is not an object: {@code bad_json}. */
    private Fuzz nonObject() {
        String value;
        do {
            value = randomJson(4);
        } while (value.startsWith("{"));
        return Fuzz.text(value, true);
    }

    /** A random object without {@code type}: {@code bad_request}. */
    private Fuzz randomObject() {
        StringBuilder object = new StringBuilder("{");
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            object.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(randomJson(3));
        }
        return Fuzz.text(object.append('}').toString(), true);
    }

    /** A valid request; only leaving a room not joined is an error. */
    private Fuzz valid() {
        String room = room();
        String ref = random.nextBoolean() ? ",\"ref\":\"" + random.nextInt(1000) + "\"" : "";
        return switch (random.nextInt(4)) {
            case 0 -> Fuzz.text("{\"type\":\"ping\"" + ref + "}", false);
            case 1 -> {
                joined.add(room);
                yield Fuzz.text("{\"type\":\"join\",\"room\":\"" + room + "\"" + ref + "}", false);
            }
            case 2 -> Fuzz.text("{\"type\":\"leave\",\"room\":\"" + room + "\"" + ref + "}", !joined.remove(room));
            default -> joined.contains(room)
                    ? Fuzz.text("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":" + randomJson(3) + ref + "}", false)
                    : Fuzz.text("{\"type\":\"publish\",\"room\":\"" + room + "\",\"data\":1" + ref + "}", true);
        };
    }

    private String room() {
        return "fuzz-" + Integer.toHexString(System.identityHashCode(this)) + "-" + random.nextInt(5);
    }

    private String randomNonString() {
        String value;
        do {
            value = randomJson(2);
        } while (value.startsWith("\""));
        return value;
    }

    /** A random, valid JSON value at most {@code depth} levels deep. */
    private String randomJson(int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Double.toString(random.nextGaussian() * 1e10);
            case 4 -> "\"" + jsonEscape(randomText(random.nextInt(30))) + "\"";
            case 5 -> {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomJson(depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> "{\"v\":" + randomJson(depth - 1) + "}";
        };
    }

    private String randomText(int length) {
        String alphabet = "abcXYZ019 {}[]\":,\\\t\n/éß€😀\u0000\u001f\u2028";
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
