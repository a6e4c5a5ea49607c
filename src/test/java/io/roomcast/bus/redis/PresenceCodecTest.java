package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.PresenceSignal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceCodecTest {

    @Test
    void presenceRoundTripsFramesInOrder() {
        PresenceSignal signal = new PresenceSignal("node a|b", "lobby",
                List.of("{\"type\":\"presence_join\",\"room\":\"lobby\",\"user\":\"a\\nb\",\"session\":\"s1\"}",
                        "{\"type\":\"presence_leave\",\"room\":\"lobby\",\"user\":\"c\",\"session\":\"s2\"}"));
        String wire = PresenceCodec.encode(signal);
        assertTrue(PresenceCodec.isPresence(wire));
        assertEquals(signal, PresenceCodec.decode(wire));
    }

    @Test
    void messageEnvelopesAreNotPresence() {
        assertFalse(PresenceCodec.isPresence(EnvelopeCodec.encode(new Envelope(1, "n", "lobby", "p", 5, "{}"))));
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : new String[] {"", "RP1 ", "RP1 lobby\n{}", "RP1 lobby n m\n{}", "RC1 1 lobby n p\n{}"}) {
            assertThrows(IllegalArgumentException.class, () -> PresenceCodec.decode(garbage), garbage);
        }
    }
}
