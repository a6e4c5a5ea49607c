package io.roomcast.room;

import io.roomcast.config.RoomcastConfig;

/** Builds {@link ConnectedMembers} outside CDI for unit tests of other packages (its config is injected). */
public final class TestConnections {

    private TestConnections() {
    }

    public static ConnectedMembers with(RoomcastConfig config) {
        ConnectedMembers members = new ConnectedMembers();
        members.config = config;
        return members;
    }
}
