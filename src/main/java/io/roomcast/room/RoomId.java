package io.roomcast.room;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;

/** The room-id rule: 1 to 128 characters from {@code A-Z a-z 0-9 _ . : @ -}. */
public final class RoomId {

    public static final int MAX_LENGTH = 128;

    private RoomId() {
    }

    public static boolean isValid(String room) {
        if (room == null || room.isEmpty() || room.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < room.length(); i++) {
            if (!isAllowed(room.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code room} when valid, else throws {@code bad_room}. */
    public static String require(String room) {
        if (!isValid(room)) {
            throw new ProtocolException(ErrorCode.BAD_ROOM,
                    "Room ids are 1 to 128 characters from A-Z a-z 0-9 _ . : @ -");
        }
        return room;
    }

    private static boolean isAllowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
    }
}
