package io.roomcast.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "nope", "{", "[1,]", "1 2", "{} x", "\"open"})
    void anythingButExactlyOneValueIsBadJson(String text) {
        assertBadJson(text);
    }

    @Test
    void parserLimitsAreBadJsonNotInternalErrors() {
        assertBadJson("[".repeat(100_000) + "]".repeat(100_000));
        assertBadJson("{\"n\":1" + "0".repeat(5_000) + "e99999999999}");
    }

    @Test
    void readsEveryKindOfValue() {
        assertEquals(JsonValue.NULL, JsonText.parseOne("null", "body"));
        assertEquals(Json.createValue("x"), JsonText.parseOne(" \"x\" ", "body"));
        assertEquals(JsonValue.ValueType.ARRAY, JsonText.parseOne("[1,{\"a\":true}]", "body").getValueType());
        assertEquals("1.50", JsonText.parseOne("1.50", "body").toString(), "numbers keep their text");
    }

    private static void assertBadJson(String text) {
        ProtocolException refused = assertThrows(ProtocolException.class, () -> JsonText.parseOne(text, "frame"));
        assertEquals(ErrorCode.BAD_JSON, refused.code());
    }
}
