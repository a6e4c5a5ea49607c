package io.roomcast.security;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Enforces {@code roomcast.acl} on joins and publishes (WebSocket and HTTP alike) with the
 * caller's groups; a refusal is {@code forbidden}. With authentication off every caller is
 * anonymous and has no groups, so only rooms whose rule says {@code *} (or that no rule matches)
 * stay usable: the rules never open more than they say.
 */
@ApplicationScoped
public class RoomAccessGuard implements RoomGuard {

    @Inject
    RoomcastConfig config;

    /** For CDI. */
    public RoomAccessGuard() {
    }

    /** Outside a container (unit tests of other packages). */
    public RoomAccessGuard(RoomcastConfig config) {
        this.config = config;
    }

    @Override
    public void checkJoin(Caller caller, String room) {
        if (!config.accessRules().mayJoin(caller.groups(), room)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "Not allowed to join room " + room);
        }
    }

    @Override
    public void checkPublish(Caller caller, String room) {
        if (!config.accessRules().mayPublish(caller.groups(), room)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "Not allowed to publish to room " + room);
        }
    }
}
