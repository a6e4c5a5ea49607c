package io.roomcast.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;

/** A servlet request (a WebSocket handshake, a console page) as authentication sees it. */
public record ServletCallerRequest(HttpServletRequest request) implements CallerRequest {

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
}
