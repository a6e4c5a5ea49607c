package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Accepted;
import io.roomcast.room.Joined;
import io.roomcast.room.Since;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "nope", "[]", "1", "\"text\"", "null", "{", "{\"a\":}", "{} {}",
            "{\"type\":\"ping\"} x", "{\"a\":1,}"})
    void anythingButOneJsonObjectIsBadJson(String text) {
        assertCode(ErrorCode.BAD_JSON, () -> FrameCodec.parseObject(text));
    }

    @Test
    void deeplyNestedJsonIsBadJsonNotACrash() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertCode(ErrorCode.BAD_JSON, () -> FrameCodec.parseObject(deep));
    }

    @Test
    void numberLongerThanTheParserAcceptsIsBadJson() {
        // Parsson refuses numbers over 1100 characters with an UnsupportedOperationException;
        // found by FuzzIT, where it once escaped to the container and broke the connection.
        assertCode(ErrorCode.BAD_JSON, () -> FrameCodec.parseObject("{\"data\":" + "9".repeat(20_000) + "}"));
        assertCode(ErrorCode.BAD_JSON, () -> FrameCodec.parseObject("{\"data\":1e2147483648}"));
    }

    @Test
    void refMustBeAShortString() {
        assertNull(FrameCodec.ref(object("{}")));
        assertEquals("abc", FrameCodec.ref(object("{\"ref\":\"abc\"}")));
        assertEquals("r".repeat(64), FrameCodec.ref(object("{\"ref\":\"" + "r".repeat(64) + "\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.ref(object("{\"ref\":\"" + "r".repeat(65) + "\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.ref(object("{\"ref\":12}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.ref(object("{\"ref\":null}")));
    }

    @Test
    void readsEachRequestType() {
        Request join = FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\"}"), "r1");
        assertEquals(new Request("join", "r1", "a", null), join);
        assertEquals("leave", FrameCodec.request(object("{\"type\":\"leave\",\"room\":\"a\"}"), null).type());
        Request publish = FrameCodec.request(object("{\"type\":\"publish\",\"room\":\"a\",\"data\":[1,{\"b\":null}]}"), null);
        assertEquals(Json.createReader(new StringReader("[1,{\"b\":null}]")).readValue(), publish.data());
        Request nullData = FrameCodec.request(object("{\"type\":\"publish\",\"room\":\"a\",\"data\":null}"), null);
        assertEquals(JsonValue.NULL, nullData.data());
        assertEquals(new Request("ping", null, null, null), FrameCodec.request(object("{\"type\":\"ping\"}"), null));
    }

    @Test
    void publishKeyIsAStringOfOneTo64Characters() {
        String publish = "{\"type\":\"publish\",\"room\":\"a\",\"data\":1";
        assertNull(FrameCodec.request(object(publish + "}"), null).key());
        assertEquals("k".repeat(64), FrameCodec.request(object(publish + ",\"key\":\"" + "k".repeat(64) + "\"}"), null).key());
        for (String bad : List.of("\"\"", "\"" + "k".repeat(65) + "\"", "7", "null", "{}")) {
            assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object(publish + ",\"key\":" + bad + "}"), null));
        }
    }

    @Test
    void refusesMissingOrMistypedFields() {
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":null}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":[\"join\"]}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":\"join\"}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":\"join\",\"room\":1}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":\"publish\",\"room\":\"a\"}"), null));
        assertCode(ErrorCode.BAD_ROOM, () -> FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a b\"}"), null));
        assertCode(ErrorCode.UNKNOWN_TYPE, () -> FrameCodec.request(object("{\"type\":\"JOIN\"}"), null));
    }

    @Test
    void joinTakesAnOptionalBooleanPresenceFlagAndNothingElse() {
        assertEquals(true, FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\",\"presence\":true}"), null).presence());
        assertEquals(false, FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\",\"presence\":false}"), null).presence());
        assertEquals(false, FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\"}"), null).presence());
        for (String bad : new String[] {"\"true\"", "1", "null", "{}", "[true]"}) {
            assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(
                    object("{\"type\":\"join\",\"room\":\"a\",\"presence\":" + bad + "}"), null));
        }
        assertCode(ErrorCode.BAD_ROOM, () -> FrameCodec.request(object("{\"type\":\"presence\",\"room\":\"a b\"}"), null));
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(object("{\"type\":\"presence\"}"), null));
    }

    @Test
    void presenceReplyIsTheBodyWithTypeAndRef() {
        JsonObject body = Json.createObjectBuilder().add("room", "a").add("count", 1).add("users", 1)
                .add("members", Json.createArrayBuilder()).build();
        assertEquals("{\"type\":\"presence\",\"room\":\"a\",\"count\":1,\"users\":1,\"members\":[],\"ref\":\"p\"}",
                FrameCodec.presence(body, "p"));
    }

    @Test
    void writesRepliesWithRefOnlyWhenGiven() {
        assertEquals("{\"type\":\"joined\",\"room\":\"a\",\"ref\":\"x\"}", FrameCodec.joined("a", "x", new Joined(0, null, null)));
        assertEquals("{\"type\":\"left\",\"room\":\"a\"}", FrameCodec.left("a", null));
        assertEquals("{\"type\":\"pong\"}", FrameCodec.pong(null));
        assertEquals("{\"type\":\"ack\",\"ref\":\"r\",\"id\":\"n-1\"}", FrameCodec.ack("r", new Accepted("n-1", 0, null, false)));
        JsonObject error = object(FrameCodec.error(new ProtocolException(ErrorCode.NOT_MEMBER, "say \"why\""), "q"));
        assertEquals("not_member", error.getString("code"));
        assertEquals("say \"why\"", error.getString("message"));
        assertEquals("q", error.getString("ref"));
    }

    @Test
    void historyFieldsAppearWhenHistoryIsOn() {
        assertEquals("{\"type\":\"joined\",\"room\":\"a\",\"offset\":7,\"epoch\":\"e1\",\"recovered\":true}",
                FrameCodec.joined("a", null, new Joined(7, "e1", true)));
        assertEquals("{\"type\":\"joined\",\"room\":\"a\",\"recovered\":false}",
                FrameCodec.joined("a", null, new Joined(0, null, false)), "history off: no position, never recovered");
        assertEquals("{\"type\":\"ack\",\"ref\":\"r\",\"id\":\"n-1\",\"offset\":3}", FrameCodec.ack("r", new Accepted("n-1", 3, "e1", false)));
        assertEquals("{\"type\":\"ack\",\"ref\":\"r\",\"id\":\"n-1\",\"offset\":3,\"duplicate\":true}",
                FrameCodec.ack("r", new Accepted("n-1", 3, "e1", true)), "a repeated key: the first message's id and offset");
        History kept = new History("e1", 9, 8, List.of("{\"type\":\"message\",\"offset\":8}", "{\"type\":\"message\",\"offset\":9}"));
        assertEquals("{\"type\":\"history\",\"room\":\"a\",\"epoch\":\"e1\",\"offset\":9,\"ref\":\"h\",\"messages\":["
                + "{\"type\":\"message\",\"offset\":8},{\"type\":\"message\",\"offset\":9}]}", FrameCodec.history("a", kept, "h"));
        assertEquals("{\"type\":\"history\",\"room\":\"a\",\"messages\":[]}", FrameCodec.history("a", History.NONE, null));
    }

    @Test
    void readsSinceAndHistoryParameters() {
        Request join = FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\",\"since\":{\"offset\":0,\"epoch\":\"e\"}}"), null);
        assertEquals(new Since(0, "e"), join.since());
        assertNull(FrameCodec.request(object("{\"type\":\"join\",\"room\":\"a\"}"), null).since());
        Request history = FrameCodec.request(object("{\"type\":\"history\",\"room\":\"a\"}"), null);
        assertEquals(HistoryQuery.page(0, 50), history.history(), "limit 50 by default, no before");
        Request page = FrameCodec.request(object("{\"type\":\"history\",\"room\":\"a\",\"limit\":100,\"before\":9}"), null);
        assertEquals(HistoryQuery.page(9, 100), page.history());
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "1", "\"x\"", "{}", "{\"offset\":1}", "{\"epoch\":\"e\"}", "{\"offset\":-1,\"epoch\":\"e\"}",
            "{\"offset\":1.5,\"epoch\":\"e\"}", "{\"offset\":\"1\",\"epoch\":\"e\"}", "{\"offset\":1,\"epoch\":1}",
            "{\"offset\":1e300,\"epoch\":\"e\"}", "{\"offset\":9007199254740992,\"epoch\":\"e\"}"})
    void malformedSinceIsBadRequest(String since) {
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(
                object("{\"type\":\"join\",\"room\":\"a\",\"since\":" + since + "}"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"limit\":0", "\"limit\":101", "\"limit\":2147483648", "\"limit\":\"5\"", "\"limit\":null",
            "\"limit\":2.5", "\"before\":0", "\"before\":-3", "\"before\":\"x\"", "\"before\":1e400"})
    void outOfRangeHistoryParametersAreBadRequest(String field) {
        assertCode(ErrorCode.BAD_REQUEST, () -> FrameCodec.request(
                object("{\"type\":\"history\",\"room\":\"a\"," + field + "}"), null));
    }

    @Test
    void errorFrameCarriesTheRefusalsExtraFieldsAndRef() {
        ProtocolException refusal = new ProtocolException(ErrorCode.WRONG_SHARD, "Room lobby belongs to shard 2",
                Json.createObjectBuilder().add("shard", 2).add("url", "wss://ws-2.example.com/ws").build());
        assertEquals(Json.createObjectBuilder().add("type", "error").add("code", "wrong_shard")
                .add("message", "Room lobby belongs to shard 2").add("shard", 2)
                .add("url", "wss://ws-2.example.com/ws").add("ref", "j1").build(),
                object(FrameCodec.error(refusal, "j1")));
    }

    private static JsonObject object(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static void assertCode(ErrorCode expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(ProtocolException.class, call).code());
    }
}
