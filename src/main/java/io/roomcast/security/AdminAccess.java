package io.roomcast.security;

import io.roomcast.config.AddressSet;
import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.util.List;

/**
 * Who may reach the admin API and console at all, before any role check. With
 * {@code roomcast.auth.mode=none} there is no identity to check, so anyone who reached the port
 * could drain the node: then only callers on this machine get through, unless
 * {@code roomcast.admin.allow-remote=true} opens it on purpose. A caller is on this machine when
 * the TCP peer is a loopback address and the request did not come through a proxy: a request
 * with any {@link #FORWARDING_HEADERS forwarding header} is local only when its peer is a
 * trusted proxy whose {@code X-Forwarded-For} names a loopback client. So a proxy or sidecar on
 * the same host (nginx from 127.0.0.1, Envoy from 127.0.0.6, anything from ::1) does not make its
 * remote callers local. Other nodes and {@code scripts/drain} use the cluster key instead
 * ({@link ClusterKey}), which works in every mode.
 */
@ApplicationScoped
public class AdminAccess {

    /** Why a remote caller is refused; says how to open the admin API on purpose. */
    public static final String REFUSAL = "The admin API answers only callers on this machine while roomcast.auth.mode"
            + " is none; turn authentication on, or set roomcast.admin.allow-remote=true";

    /**
     * Headers that proxies, load balancers and sidecars add: whichever one is present, the TCP
     * peer is not the caller. Header names are case-insensitive in both servlet and JAX-RS requests.
     */
    static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server", "X-Real-IP", "X-Client-IP",
            "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP",
            "X-Original-Forwarded-For", "X-Envoy-External-Address", "X-Forwarded-Client-Cert", "Via");

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    /** Whether {@code request} may go on to the admin API or console. */
    public boolean allows(CallerRequest request) {
        if (config.authMode() != AuthMode.NONE || config.adminAllowRemote()) {
            return true;
        }
        return isLoopback(request.peerAddress()) && (!viaProxy(request) || trustedProxySaysLocal(request));
    }

    private static boolean viaProxy(CallerRequest request) {
        return FORWARDING_HEADERS.stream().anyMatch(name -> request.header(name) != null);
    }

    /** Only X-Forwarded-For from a trusted peer is believed (as for the per-address limit). */
    private boolean trustedProxySaysLocal(CallerRequest request) {
        return config.trustedProxies().contains(request.peerAddress()) && request.header("X-Forwarded-For") != null
                && isLoopback(authenticator.clientAddress(request));
    }

    private static boolean isLoopback(String address) {
        return AddressSet.literal(address).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
