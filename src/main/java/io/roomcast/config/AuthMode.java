package io.roomcast.config;

import java.util.Locale;

/** How a connection or an API caller proves who it is ({@code roomcast.auth.mode}). */
public enum AuthMode {
    /** No authentication: every caller is anonymous. For local development only. */
    NONE,
    /** A signed JWT from the identity provider (header, cookie or query parameter). */
    JWT,
    /** User and groups headers set by an authenticating reverse proxy on a trusted address. */
    PROXY;

    static AuthMode parse(String key, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be none, jwt or proxy, not " + value, e);
        }
    }
}
