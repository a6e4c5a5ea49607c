package it.io.roomcast.support;

import java.net.URI;
import java.net.URL;

/** Addresses of a deployment under test. */
public final class Urls {

    private Urls() {
    }

    /** {@code ws://host:port/<context>/ws} for a deployment's base URL. */
    public static URI websocket(URL base) {
        return URI.create(base.toString().replaceFirst("^http", "ws") + (base.toString().endsWith("/") ? "" : "/") + "ws");
    }

    /** A path at the server root ({@code /health}, {@code /metrics}), whatever the context root. */
    public static URI serverRoot(URL base, String path) {
        return URI.create(base.getProtocol() + "://" + base.getHost() + ":" + base.getPort() + path);
    }

    /** A path under the deployment's context root. */
    public static URI app(URL base, String path) {
        String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        return URI.create(root + path);
    }
}
