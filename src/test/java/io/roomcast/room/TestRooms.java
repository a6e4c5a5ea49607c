package io.roomcast.room;

import io.roomcast.bus.local.LocalMessageBus;
import io.roomcast.config.RoomcastConfig;
import java.util.List;

/** Builds a started {@link RoomRegistry} on the in-memory bus outside CDI, for unit tests of other packages, with the given guards. */
public final class TestRooms {

    private TestRooms() {
    }

    public static RoomRegistry inMemory(RoomcastConfig config, RoomGuard... guards) {
        RoomRegistry rooms = new RoomRegistry();
        rooms.config = config;
        rooms.guards = List.of(guards);
        rooms.bus = new LocalMessageBus(config);
        rooms.start();
        return rooms;
    }
}
