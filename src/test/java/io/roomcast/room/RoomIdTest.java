package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "lobby", "Team_1.ops:alerts@eu-west", "0", "-", "@@"})
    void acceptsIdsMadeOfTheAllowedCharacters(String room) {
        assertTrue(RoomId.isValid(room));
        assertEquals(room, RoomId.require(room));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "has space", "slash/room", "caf\u00e9", "tab\t", "star*", "emoji\ud83d\ude00", "new\nline"})
    void refusesOtherCharactersAndEmptyIds(String room) {
        assertFalse(RoomId.isValid(room));
        ProtocolException refused = assertThrows(ProtocolException.class, () -> RoomId.require(room));
        assertEquals(ErrorCode.BAD_ROOM, refused.code());
    }

    @org.junit.jupiter.api.Test
    void allowsAtMost128Characters() {
        assertTrue(RoomId.isValid("r".repeat(128)));
        assertFalse(RoomId.isValid("r".repeat(129)));
        assertFalse(RoomId.isValid(null));
    }
}
