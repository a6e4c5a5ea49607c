package io.roomcast.room;

import io.roomcast.bus.local.LocalMessageBus;
import io.roomcast.config.RoomcastConfig;

/** Builds a started {@link RoomRegistry} on the in-memory bus outside CDI, for unit tests of other packages. */
public final class TestRooms {

    private TestRooms() {
    }

    public static RoomRegistry inMemory(RoomcastConfig config) {
        RoomRegistry rooms = new RoomRegistry();
        rooms.config = config;
        rooms.bus = new LocalMessageBus(config);
        rooms.start();
        return rooms;
    }
}
