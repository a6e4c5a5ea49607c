package io.roomcast.protocol;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/** Reads client-supplied JSON text (WebSocket frames, HTTP bodies) into exactly one value. */
public final class JsonText {

    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    private JsonText() {
    }

    /**
     * Parses {@code text} as exactly one JSON value; {@code bad_json} for anything else.
     *
     * @param what names the input in the error message, e.g. "frame" or "body"
     */
    public static JsonValue parseOne(String text, String what) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw badJson("The " + what + " is empty");
            }
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw badJson("The " + what + " must be exactly one JSON value, with nothing after it");
            }
            return value;
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // The parser reports syntax errors, trailing garbage, nesting deeper than it allows
            // and numbers too long to represent with various runtime exceptions: all mean bad JSON.
            throw badJson("The " + what + " is not valid JSON");
        }
    }

    private static ProtocolException badJson(String message) {
        return new ProtocolException(ErrorCode.BAD_JSON, message);
    }
}
