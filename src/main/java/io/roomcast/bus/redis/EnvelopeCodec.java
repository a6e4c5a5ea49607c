package io.roomcast.bus.redis;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.PresenceSignal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The envelope as a Redis pub/sub payload: one header line, then the frame exactly as the
 * origin node encoded it (no second layer of JSON escaping, so a frame costs its own size
 * plus a short header):
 *
 * <pre>
 * RC&lt;version&gt; &lt;acceptedAtMicros&gt; &lt;room&gt; &lt;origin&gt; &lt;publisher&gt;\n&lt;frame&gt;
 * RC1 1732763412345678 lobby node-a 7f3c...\n{"type":"message","room":"lobby",...}
 * </pre>
 *
 * Room ids cannot contain spaces or newlines; origin and publisher are URL-encoded because
 * node ids and user names may. A node refuses a version it does not know instead of
 * misreading it, so a mixed-version cluster drops (and logs) rather than corrupts.
 *
 * <p>Presence events are their own kind, told apart by the first bytes: no offset, no publisher,
 * one frame per line (JSON text never contains a raw newline):
 *
 * <pre>
 * RP1 &lt;room&gt; &lt;origin&gt;\n&lt;frame&gt;\n&lt;frame&gt;...
 * </pre>
 */
final class EnvelopeCodec {

    private static final String MAGIC = "RC";
    private static final String PRESENCE_MAGIC = "RP1 ";

    private EnvelopeCodec() {
    }

    static String encode(Envelope envelope) {
        return MAGIC + envelope.version() + ' ' + envelope.acceptedAtMicros() + ' ' + envelope.room() + ' '
                + URLEncoder.encode(envelope.origin(), StandardCharsets.UTF_8) + ' '
                + URLEncoder.encode(envelope.publisher(), StandardCharsets.UTF_8) + '\n' + envelope.frame();
    }

    /** @throws IllegalArgumentException when the payload is not an envelope this release reads */
    static Envelope decode(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = (newline < 0 ? "" : payload.substring(0, newline)).split(" ", -1);
        if (header.length != 5 || !header[0].startsWith(MAGIC)) {
            throw new IllegalArgumentException("not a Roomcast envelope");
        }
        int version = parseVersion(header[0]);
        if (version != Envelope.CURRENT_VERSION) {
            throw new IllegalArgumentException("envelope version " + version + " is not supported by this node");
        }
        try {
            return new Envelope(version, URLDecoder.decode(header[3], StandardCharsets.UTF_8), header[2],
                    URLDecoder.decode(header[4], StandardCharsets.UTF_8), Long.parseLong(header[1]),
                    payload.substring(newline + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad envelope timestamp", e);
        }
    }

    static String encodePresence(PresenceSignal signal) {
        return PRESENCE_MAGIC + signal.room() + ' ' + URLEncoder.encode(signal.origin(), StandardCharsets.UTF_8) + '\n'
                + String.join("\n", signal.frames());
    }

    static boolean isPresence(String payload) {
        return payload.startsWith(PRESENCE_MAGIC);
    }

    /** @throws IllegalArgumentException when the payload is not a presence envelope */
    static PresenceSignal decodePresence(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = isPresence(payload) && newline > 0
                ? payload.substring(PRESENCE_MAGIC.length(), newline).split(" ", -1) : new String[0];
        if (header.length != 2) {
            throw new IllegalArgumentException("not a Roomcast presence envelope");
        }
        return new PresenceSignal(URLDecoder.decode(header[1], StandardCharsets.UTF_8), header[0],
                List.of(payload.substring(newline + 1).split("\n")));
    }

    private static int parseVersion(String token) {
        try {
            return Integer.parseInt(token.substring(MAGIC.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad envelope version " + token, e);
        }
    }
}
