package io.roomcast.security;

import java.util.Map;

/** A request as authentication sees it, built by hand. Header names are matched exactly. */
record FakeRequest(Map<String, String> headers, Map<String, String> cookies, Map<String, String> query, String peer)
        implements CallerRequest {

    static FakeRequest from(String peer, Map<String, String> headers) {
        return new FakeRequest(headers, Map.of(), Map.of(), peer);
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public String cookie(String name) {
        return cookies.get(name);
    }

    @Override
    public String queryParameter(String name) {
        return query.get(name);
    }

    @Override
    public String peerAddress() {
        return peer;
    }
}
