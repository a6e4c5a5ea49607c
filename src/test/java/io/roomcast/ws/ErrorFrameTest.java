package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class ErrorFrameTest {

    @Test
    void errorFrameCarriesTheRefusalsExtraFieldsAndRef() {
        ProtocolException refusal = new ProtocolException(ErrorCode.WRONG_SHARD, "Room lobby belongs to shard 2",
                Json.createObjectBuilder().add("shard", 2).add("url", "wss://ws-2.example.com/ws").build());
        JsonObject frame = Json.createReader(new StringReader(FrameCodec.error(refusal, "j1"))).readObject();
        assertEquals(Json.createObjectBuilder().add("type", "error").add("code", "wrong_shard")
                .add("message", "Room lobby belongs to shard 2").add("shard", 2)
                .add("url", "wss://ws-2.example.com/ws").add("ref", "j1").build(), frame);
    }
}
