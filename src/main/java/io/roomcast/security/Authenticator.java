package io.roomcast.security;

import io.roomcast.config.AddressSet;
import io.roomcast.config.AuthMode;
import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Establishes who sent a request, the same way for WebSocket handshakes and API calls, in the
 * configured {@link AuthMode}; and which client address it came from. Created at start-up, so
 * that a bad key location fails the deployment and mode {@code none} is announced in the log.
 * Thread-safe; the first JWT check against a JWKS URL may block on fetching the keys.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class.getName());
    private static final String BEARER = "Bearer ";

    @Inject
    RoomcastConfig config;

    private JwtVerifier jwt;

    /** For CDI. */
    public Authenticator() {
    }

    /** Outside a container (unit tests of other packages): configured and started. */
    public Authenticator(RoomcastConfig config) {
        this.config = config;
        this.jwt = verifierFor(config);
    }

    @PostConstruct
    void start() {
        jwt = verifierFor(config);
    }

    /** The token verifier of mode {@code jwt}; null in the other modes. */
    private static JwtVerifier verifierFor(RoomcastConfig config) {
        return config.authMode() == AuthMode.JWT ? new JwtVerifier(config.jwt(), config.maxConnections()) : null;
    }

    void announce(@Observes Startup startup) {
        if (config.authMode() == AuthMode.NONE) {
            LOG.warning("roomcast.auth.mode is none: anyone who can reach this server connects and publishes"
                    + " anonymously. Set it to jwt or proxy outside local development.");
        } else {
            LOG.info("roomcast.auth.mode is " + config.authMode().name().toLowerCase(Locale.ROOT));
        }
    }

    /** The request's identity: anonymous in mode {@code none}; otherwise proven or refused. */
    public Identity authenticate(CallerRequest request) throws NotAuthenticatedException {
        return switch (config.authMode()) {
            case NONE -> Identity.ANONYMOUS;
            case JWT -> jwt.verify(token(request));
            case PROXY -> proxyIdentity(request);
        };
    }

    /**
     * The identity a token sent in-band proves ({@code refresh}, contract section 10): verified
     * exactly as a handshake's token, through the same verifier and cache.
     *
     * @throws IllegalStateException outside mode {@code jwt}, where there are no tokens to verify
     */
    public Identity verifyToken(String token) throws NotAuthenticatedException {
        if (jwt == null) {
            throw new IllegalStateException("Tokens are verified in roomcast.auth.mode=jwt only");
        }
        return jwt.verify(token);
    }

    /**
     * The client's address: the peer, or, when the peer is a trusted proxy, the right-most
     * {@code X-Forwarded-For} entry that is not itself a trusted proxy (entries further left are
     * whatever the client chose to send).
     */
    public String clientAddress(CallerRequest request) {
        AddressSet trusted = config.trustedProxies();
        String client = request.peerAddress();
        String forwarded = request.header("X-Forwarded-For");
        if (forwarded == null || !trusted.contains(client)) {
            return client;
        }
        List<String> hops = Arrays.stream(forwarded.split(",")).map(String::trim).toList();
        for (int i = hops.size() - 1; i >= 0 && trusted.contains(client); i--) {
            if (AddressSet.literal(hops.get(i)).isEmpty()) {
                break; // garbage in the chain: stop at the last address we can vouch for
            }
            client = hops.get(i);
        }
        return client;
    }

    /** The token from, in this order, the Authorization header, the cookie, the query parameter. */
    private String token(CallerRequest request) throws NotAuthenticatedException {
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        String cookie = request.cookie(config.jwt().cookie());
        if (cookie != null && !cookie.isBlank()) {
            return cookie.trim();
        }
        Optional<String> param = config.jwt().queryParam().map(request::queryParameter).filter(t -> !t.isBlank());
        return param.orElseThrow(() -> new NotAuthenticatedException("No token: send it as a Bearer Authorization"
                + " header, the " + config.jwt().cookie() + " cookie"
                + config.jwt().queryParam().map(p -> " or the " + p + " query parameter").orElse("")));
    }

    private Identity proxyIdentity(CallerRequest request) throws NotAuthenticatedException {
        if (!config.trustedProxies().contains(request.peerAddress())) {
            throw new NotAuthenticatedException("Not from a trusted proxy");
        }
        String user = request.header(config.userHeader());
        if (user == null || user.isBlank()) {
            throw new NotAuthenticatedException("The proxy sent no " + config.userHeader() + " header");
        }
        String groups = request.header(config.groupsHeader());
        Set<String> groupSet = groups == null ? Set.of() : Arrays.stream(groups.split(","))
                .map(String::trim).filter(g -> !g.isEmpty()).collect(Collectors.toSet());
        return new Identity(Optional.of(user.trim()), groupSet, Optional.empty());
    }
}
