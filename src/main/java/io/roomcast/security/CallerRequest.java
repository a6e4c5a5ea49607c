package io.roomcast.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;

/**
 * What authentication may look at in an incoming request, whatever carries it (the WebSocket
 * upgrade or an API call). Implementations are per request and used on its thread only.
 */
public interface CallerRequest {

    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The value of cookie {@code name}, or null. */
    String cookie(String name);

    /** The first value of query parameter {@code name}, or null. */
    String queryParameter(String name);

    /** The address of the TCP peer: the client itself, or the proxy in front of it. */
    String peerAddress();

    /** A servlet request (a WebSocket upgrade, an HTTP call) as authentication sees it. */
    static CallerRequest of(HttpServletRequest request) {
        return new CallerRequest() {
            @Override
            public String header(String name) {
                return request.getHeader(name);
            }

            @Override
            public String cookie(String name) {
                Cookie[] cookies = request.getCookies();
                return cookies == null ? null : Arrays.stream(cookies).filter(c -> c.getName().equals(name))
                        .map(Cookie::getValue).findFirst().orElse(null);
            }

            @Override
            public String queryParameter(String name) {
                return request.getParameter(name);
            }

            @Override
            public String peerAddress() {
                return request.getRemoteAddr();
            }
        };
    }
}
