package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.Envelope;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static final String FRAME = "{\"type\":\"message\",\"room\":\"lobby\",\"data\":\"a \\\"quoted\\\"\\nline\","
            + "\"from\":\"ann\",\"ts\":1,\"id\":\"n-1\"}";

    @Test
    void roundTripKeepsEveryField() {
        Envelope envelope = new Envelope(1, "node a|b\nc", "lobby", "user name with spaces\n", 1732763412345678L, FRAME);
        assertEquals(envelope, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope)));
    }

    @Test
    void frameTravelsUnescaped() {
        String wire = EnvelopeCodec.encode(new Envelope(1, "n", "lobby", "p", 5, FRAME));
        assertTrue(wire.endsWith("\n" + FRAME), wire);
        assertEquals(FRAME.length() + "RC1 5 lobby n p\n".length(), wire.length(), "no second layer of escaping");
    }

    @Test
    void unknownVersionIsRefusedNotMisread() {
        String future = EnvelopeCodec.encode(new Envelope(1, "n", "lobby", "p", 5, FRAME)).replaceFirst("^RC1", "RC2");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(future));
        assertTrue(refused.getMessage().contains("version 2"), refused.getMessage());
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : new String[] {"", "hello", "RC1 x lobby n p\n{}", "RCx 1 lobby n p\n{}", "RC1 1 lobby n\n{}"}) {
            assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(garbage), garbage);
        }
    }
}
