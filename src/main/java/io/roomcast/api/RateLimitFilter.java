package io.roomcast.api;

import io.roomcast.config.HttpLimits;
import io.roomcast.config.RoomcastConfig;
import io.roomcast.limit.CallerBuckets;
import io.roomcast.limit.RequestKind;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.security.Authenticator;
import io.roomcast.security.Identity;
import io.roomcast.security.ServletCallerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-caller limits of the {@link RateLimited} HTTP requests ({@code roomcast.http.rate.*}): a
 * token bucket per caller and kind, the caller being the identity the role filters established
 * or else the client address (after a trusted proxy's {@code X-Forwarded-For}). Over the limit:
 * {@code 429 {"code":"rate_limited"}} with {@code Retry-After}, counted in
 * {@code roomcast_http_rate_limited}. Runs after authentication, so that an identity is known.
 */
@Provider
@RateLimited
@Priority(Priorities.USER)
@ApplicationScoped
public class RateLimitFilter implements ContainerRequestFilter {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    @Inject
    RoomcastConfig config;

    @Inject
    Authenticator authenticator;

    @Inject
    RoomcastMetrics metrics;

    @Context
    HttpServletRequest servletRequest;

    private final Map<RequestKind, CallerBuckets> limits = new EnumMap<>(RequestKind.class);

    @PostConstruct
    void start() {
        HttpLimits settings = config.httpLimits();
        limits.put(RequestKind.PUBLISH, new CallerBuckets(settings.publishesPerSecond(), settings.maxCallers(),
                System::nanoTime));
        limits.put(RequestKind.READ, new CallerBuckets(settings.readsPerSecond(), settings.maxCallers(),
                System::nanoTime));
    }

    @Override
    public void filter(ContainerRequestContext request) {
        RequestKind kind = "GET".equals(request.getMethod()) ? RequestKind.READ : RequestKind.PUBLISH;
        long waitNanos = limits.get(kind).take(caller(request));
        if (waitNanos > 0) {
            metrics.httpRateLimited(kind);
            long seconds = Math.max(1, (waitNanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
            request.abortWith(Response.fromResponse(ErrorResponses.of(new ProtocolException(ErrorCode.RATE_LIMITED,
                    "Too many " + kind.label() + " requests from this caller; retry after " + seconds + " s")))
                    .header("Retry-After", Long.toString(seconds)).build());
        }
    }

    /** A user name, or an address: prefixed so that neither can pose as the other. */
    private String caller(ContainerRequestContext request) {
        if (request.getProperty(Identity.REQUEST_PROPERTY) instanceof Identity identity && !identity.isAnonymous()) {
            return "user:" + identity.name().orElseThrow();
        }
        return "address:" + authenticator.clientAddress(new ServletCallerRequest(servletRequest));
    }
}
