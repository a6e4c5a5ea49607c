package io.roomcast.bus.redis;

import io.roomcast.bus.PresenceSignal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Presence events as a Redis pub/sub payload on the room's channel: their own envelope kind,
 * told apart from {@link EnvelopeCodec}'s messages ({@code RC...}) by the first bytes. No
 * offset, no publisher; one frame per line (JSON text never contains a raw newline):
 *
 * <pre>
 * RP1 &lt;room&gt; &lt;origin&gt;\n&lt;frame&gt;\n&lt;frame&gt;...
 * </pre>
 */
final class PresenceCodec {

    private static final String MAGIC = "RP1 ";

    private PresenceCodec() {
    }

    static String encode(PresenceSignal signal) {
        return MAGIC + signal.room() + ' ' + URLEncoder.encode(signal.origin(), StandardCharsets.UTF_8) + '\n'
                + String.join("\n", signal.frames());
    }

    /** Whether {@code payload} is presence (else it is a message envelope). */
    static boolean isPresence(String payload) {
        return payload.startsWith(MAGIC);
    }

    /** @throws IllegalArgumentException when the payload is not a presence envelope */
    static PresenceSignal decode(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = isPresence(payload) && newline > 0
                ? payload.substring(MAGIC.length(), newline).split(" ", -1) : new String[0];
        if (header.length != 2) {
            throw new IllegalArgumentException("not a Roomcast presence envelope");
        }
        return new PresenceSignal(URLDecoder.decode(header[1], StandardCharsets.UTF_8), header[0],
                List.of(payload.substring(newline + 1).split("\n")));
    }
}
