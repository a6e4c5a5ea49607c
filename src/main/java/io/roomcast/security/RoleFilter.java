package io.roomcast.security;

import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Lets an API request through only when its caller (JWT bearer, or a trusted proxy's headers,
 * exactly as for WebSocket handshakes) belongs to one of {@link #allowedGroups()}. Answers
 * 401 without a valid identity and 403 without the group, both as {@code {"code","message"}}
 * JSON. With {@code roomcast.auth.mode=none} there is nobody to check: every request passes
 * unless {@link #refusalWithoutAuthentication} refuses it (403). Where {@link #acceptsClusterKey}
 * says so, a request carrying the cluster key is decided by that key alone, in every mode.
 * Independent of the resources: it acts on whatever carries the filter's name-binding marker.
 */
abstract class RoleFilter implements ContainerRequestFilter {

    /** Who the audit log names for a request admitted by the cluster key. */
    static final String CLUSTER_KEY_HOLDER = "cluster-key";

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    @Inject
    ClusterKey clusterKey;

    @Context
    HttpServletRequest servletRequest;

    /** Groups of which the caller needs at least one. */
    abstract Set<String> allowedGroups();

    /** Whether the cluster key ({@link ClusterKey#HEADER}) admits a request here, in every mode. */
    boolean acceptsClusterKey() {
        return false;
    }

    /** With authentication off: why {@code request} is refused (a 403), or empty to let it pass, as by default. */
    Optional<String> refusalWithoutAuthentication(CallerRequest request) {
        return Optional.empty();
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String presented = request.getHeaderString(ClusterKey.HEADER);
        if (presented != null && acceptsClusterKey()) {
            admitClusterKey(request, presented);
            return;
        }
        ApiRequest caller = new ApiRequest(request, servletRequest.getRemoteAddr());
        if (config.authMode() == AuthMode.NONE) {
            refusalWithoutAuthentication(caller).ifPresent(reason ->
                    request.abortWith(error(Response.Status.FORBIDDEN, "forbidden", reason)));
            return;
        }
        try {
            Identity identity = authenticator.authenticate(caller);
            if (identity.groups().stream().noneMatch(allowedGroups()::contains)) {
                request.abortWith(error(Response.Status.FORBIDDEN, "forbidden",
                        "Needs membership of " + String.join(" or ", allowedGroups())));
            } else {
                // Resources read the caller (e.g. for the admin audit log) from the SecurityContext.
                request.setSecurityContext(new IdentityContext(identity, request.getSecurityContext()));
            }
            request.setProperty(Identity.REQUEST_PROPERTY, identity); // e.g. HTTP publish's `from` and ACL groups
        } catch (NotAuthenticatedException e) {
            Response.ResponseBuilder response = Response.fromResponse(
                    error(Response.Status.UNAUTHORIZED, "unauthorized", e.getMessage()));
            if (config.authMode() == AuthMode.JWT) {
                response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            request.abortWith(response.build());
        }
    }

    /** A wrong key is refused even where the caller would pass without it: it is an attack or a misconfiguration. */
    private void admitClusterKey(ContainerRequestContext request, String presented) {
        if (!clusterKey.matches(presented)) {
            request.abortWith(error(Response.Status.UNAUTHORIZED, "unauthorized", "Wrong or unknown cluster key"));
            return;
        }
        Identity node = new Identity(Optional.of(CLUSTER_KEY_HOLDER), allowedGroups(), Optional.empty());
        request.setSecurityContext(new IdentityContext(node, request.getSecurityContext()));
        request.setProperty(Identity.REQUEST_PROPERTY, node);
    }

    private static Response error(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Json.createObjectBuilder().add("code", code).add("message", message).build().toString())
                .build();
    }

    /** The authenticated identity as JAX-RS resources see it; groups are the roles. */
    private record IdentityContext(Identity identity, SecurityContext original) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return identity.name().<Principal>map(name -> () -> name).orElse(null);
        }

        @Override
        public boolean isUserInRole(String role) {
            return identity.groups().contains(role);
        }

        @Override
        public boolean isSecure() {
            return original.isSecure();
        }

        @Override
        public String getAuthenticationScheme() {
            return original.getAuthenticationScheme();
        }
    }

    /** An API call as authentication sees it. */
    private record ApiRequest(ContainerRequestContext context, String peerAddress) implements CallerRequest {

        @Override
        public String header(String name) {
            return context.getHeaders().getFirst(name);
        }

        @Override
        public String cookie(String name) {
            Cookie cookie = context.getCookies().get(name);
            return cookie == null ? null : cookie.getValue();
        }

        @Override
        public String queryParameter(String name) {
            return context.getUriInfo().getQueryParameters().getFirst(name);
        }
    }
}
