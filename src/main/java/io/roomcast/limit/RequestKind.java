package io.roomcast.limit;

import java.util.Locale;

/** What an HTTP request costs, for its own per-caller limit and the metric's {@code kind} label. */
public enum RequestKind {
    /** A message published over HTTP ({@code roomcast.http.rate.publishes-per-second}). */
    PUBLISH,
    /** A read that asks the bus: history, presence ({@code roomcast.http.rate.reads-per-second}). */
    READ;

    /** The metric label: {@code publish} or {@code read}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
