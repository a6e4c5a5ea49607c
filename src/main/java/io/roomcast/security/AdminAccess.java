package io.roomcast.security;

import io.roomcast.config.AddressSet;
import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;

/**
 * Who may reach the admin API and console at all, before any role check. With
 * {@code roomcast.auth.mode=none} there is no identity to check, so anyone who reached the port
 * could drain the node: then only callers on this machine get through (a loopback address,
 * after a trusted proxy's {@code X-Forwarded-For}, so a proxy on the same host does not make
 * every caller local), unless {@code roomcast.admin.allow-remote=true} opens it on purpose.
 * Other nodes forward admin actions to this one over its loopback or advertised address: with
 * mode {@code none} across machines, set the key on every node.
 */
@ApplicationScoped
public class AdminAccess {

    /** Why a remote caller is refused; says how to open the admin API on purpose. */
    public static final String REFUSAL = "The admin API answers only callers on this machine while roomcast.auth.mode"
            + " is none; turn authentication on, or set roomcast.admin.allow-remote=true";

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    /** Whether {@code request} may go on to the admin API or console. */
    public boolean allows(CallerRequest request) {
        if (config.authMode() != AuthMode.NONE || config.adminAllowRemote()) {
            return true;
        }
        return AddressSet.literal(authenticator.clientAddress(request)).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
