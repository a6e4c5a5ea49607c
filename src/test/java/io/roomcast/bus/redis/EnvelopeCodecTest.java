package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.Envelope;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private static final String FRAME = "{\"type\":\"message\",\"room\":\"lobby\",\"data\":\"a \\\"quoted\\\"\\nline\","
            + "\"from\":\"ann\",\"ts\":1,\"id\":\"n-1\"}";

    private static Envelope envelope(String origin, String publisher) {
        return new Envelope(Envelope.CURRENT_VERSION, origin, "lobby", publisher, 1732763412345678L, FRAME);
    }

    @Test
    void roundTripKeepsEveryFieldWithAndWithoutAPosition() {
        Envelope envelope = envelope("node a|b\nc", "user name with spaces\n");
        assertEquals(envelope, EnvelopeCodec.decode(EnvelopeCodec.encode(envelope)));
        Envelope positioned = envelope.positioned(42, "k3j9x");
        assertEquals(positioned, EnvelopeCodec.decode(EnvelopeCodec.encode(positioned)));
    }

    @Test
    void theScriptCompletesTheHeadWithOffsetAndEpoch() {
        Envelope envelope = envelope("n", "p");
        Envelope positioned = envelope.positioned(7, "e1");
        // What the publish script sends: head, " offset epoch", newline, the frame with its offset.
        String wire = EnvelopeCodec.head(envelope) + " 7 e1\n" + positioned.frame();
        assertEquals(positioned, EnvelopeCodec.decode(wire));
        assertTrue(positioned.frame().endsWith(",\"id\":\"n-1\",\"offset\":7,\"epoch\":\"e1\"}"), positioned.frame());
    }

    @Test
    void frameTravelsUnescaped() {
        String wire = EnvelopeCodec.encode(new Envelope(2, "n", "lobby", "p", 5, FRAME));
        assertTrue(wire.endsWith("\n" + FRAME), wire);
        assertEquals(FRAME.length() + "RC2 5 lobby n p 0 -\n".length(), wire.length(), "no second layer of escaping");
    }

    @Test
    void unknownVersionIsRefusedNotMisread() {
        for (String other : new String[] {"RC1 5 lobby n p\n" + FRAME, "RC3 5 lobby n p 1 e\n" + FRAME}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(other));
            assertTrue(refused.getMessage().contains("version"), refused.getMessage());
        }
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : new String[] {"", "hello", "RC2 x lobby n p 0 -\n{}", "RCx 1 lobby n p 0 -\n{}",
                "RC2 1 lobby n p\n{}", "RC2 1 lobby n p x -\n{}"}) {
            assertThrows(IllegalArgumentException.class, () -> EnvelopeCodec.decode(garbage), garbage);
        }
    }
}
