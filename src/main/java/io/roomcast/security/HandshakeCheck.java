package io.roomcast.security;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides whether a WebSocket handshake may proceed: first the {@code Origin} allow-list (what
 * stops cross-site WebSocket hijacking when the SSO layer authenticates with cookies), then the
 * identity. Thread-safe; called once per handshake on the upgrading request's thread.
 */
@ApplicationScoped
public class HandshakeCheck {

    private static final Logger LOG = Logger.getLogger(HandshakeCheck.class.getName());

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    public Admission check(CallerRequest request) {
        String address = authenticator.clientAddress(request);
        String origin = request.header("Origin");
        if (!originAllowed(origin)) {
            return refuse(CloseCode.ORIGIN_NOT_ALLOWED, address, "Origin " + origin + " is not allowed");
        }
        try {
            return Admission.admitted(authenticator.authenticate(request), address);
        } catch (NotAuthenticatedException e) {
            return refuse(CloseCode.NOT_AUTHENTICATED, address, e.getMessage());
        }
    }

    /**
     * Any origin when no list is configured. A handshake without {@code Origin} passes: browsers
     * always send it, so its absence means a non-browser client, which cross-site hijacking
     * cannot involve (such a client still needs a valid identity).
     */
    private boolean originAllowed(String origin) {
        List<String> allowed = config.allowedOrigins();
        return allowed.isEmpty() || origin == null || allowed.stream().anyMatch(a -> a.equalsIgnoreCase(origin.trim()));
    }

    private static Admission refuse(CloseCode code, String address, String detail) {
        LOG.log(Level.FINE, "Refused WebSocket handshake from {0}: {1}", new Object[] {address, detail});
        return Admission.refused(code, address, detail);
    }
}
