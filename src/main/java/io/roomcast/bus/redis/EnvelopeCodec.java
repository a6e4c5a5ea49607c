package io.roomcast.bus.redis;

import io.roomcast.bus.Envelope;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

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
 */
final class EnvelopeCodec {

    private static final String MAGIC = "RC";

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

    private static int parseVersion(String token) {
        try {
            return Integer.parseInt(token.substring(MAGIC.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad envelope version " + token, e);
        }
    }
}
