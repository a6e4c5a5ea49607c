package io.roomcast.ws;

import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.Authenticator;
import io.roomcast.security.Identity;
import io.roomcast.security.NotAuthenticatedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The {@code refresh} request (contract section 10): a connection takes a fresh token of the same
 * user without reconnecting. The token is verified by the handshake's {@link Authenticator}, so
 * there is one verification path; a refusal changes nothing on the connection.
 */
@ApplicationScoped
class TokenRefresh {

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    @Inject
    RoomRegistry rooms;

    @Inject
    RoomcastMetrics metrics;

    /**
     * Verifies the token, swaps the connection's identity, leaves the rooms its new groups may no
     * longer join ({@code left} with reason {@code forbidden}, before the {@code refreshed} reply,
     * so the reply means the change is complete) and moves its token timers. Runs on the
     * connection's message thread; the first verification against a JWKS URL may block on the fetch.
     *
     * @throws ProtocolException {@code bad_request} outside mode {@code jwt}, {@code bad_token} for
     *                           a token that does not verify, {@code forbidden} for another user's
     */
    void refresh(ClientConnection connection, Request request) {
        if (config.authMode() != AuthMode.JWT) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "refresh is for roomcast.auth.mode=jwt only");
        }
        Identity fresh = verified(request.token());
        if (!fresh.name().equals(connection.identity().name())) {
            metrics.tokenRefreshed(false);
            throw new ProtocolException(ErrorCode.FORBIDDEN, "The token is another user's");
        }
        connection.reidentify(fresh);
        rooms.leaveForbidden(connection).forEach(room -> connection.send(FrameCodec.leftForbidden(room)));
        connection.send(FrameCodec.refreshed(fresh.expires().orElseThrow(), request.ref()));
        metrics.tokenRefreshed(true);
    }

    private Identity verified(String token) {
        try {
            return authenticator.verifyToken(token);
        } catch (NotAuthenticatedException e) {
            metrics.tokenRefreshed(false);
            throw new ProtocolException(ErrorCode.BAD_TOKEN, e.getMessage());
        }
    }
}
