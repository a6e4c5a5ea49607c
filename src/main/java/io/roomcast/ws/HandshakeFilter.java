package io.roomcast.ws;

import io.roomcast.ops.RoomcastMetrics;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Counts and times every WebSocket handshake on {@code /ws}, including the ones refused before
 * the upgrade (bad origin, failed authentication), which the endpoint never sees.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class HandshakeFilter implements Filter {

    private static final int SWITCHING_PROTOCOLS = 101;

    @Inject
    RoomcastMetrics metrics;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !"websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        metrics.connectionAttempted();
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            boolean upgraded = ((HttpServletResponse) response).getStatus() == SWITCHING_PROTOCOLS;
            metrics.handshakeAnswered(Duration.ofNanos(System.nanoTime() - start), upgraded);
        }
    }
}
