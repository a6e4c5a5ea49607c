package io.roomcast.security;

import io.roomcast.protocol.CloseCode;
import java.util.Optional;

/**
 * The verdict on a WebSocket handshake, decided before the upgrade and acted on when the
 * connection opens (a refused connection is closed with {@link #refusal()}, so that browsers
 * see the close code instead of a bare failed handshake).
 *
 * @param identity      who the connection acts as (anonymous when refused)
 * @param clientAddress the client's address, after trusted {@code X-Forwarded-For}
 * @param refusal       the close code for a refused handshake; empty when admitted
 * @param detail        why it was refused, for the log; never a credential
 */
public record Admission(Identity identity, String clientAddress, Optional<CloseCode> refusal, String detail) {

    public static Admission admitted(Identity identity, String clientAddress) {
        return new Admission(identity, clientAddress, Optional.empty(), "");
    }

    public static Admission refused(CloseCode code, String clientAddress, String detail) {
        return new Admission(Identity.ANONYMOUS, clientAddress, Optional.of(code), detail);
    }
}
