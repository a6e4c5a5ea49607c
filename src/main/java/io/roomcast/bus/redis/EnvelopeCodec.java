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
 * RC&lt;version&gt; &lt;acceptedAtMicros&gt; &lt;room&gt; &lt;origin&gt; &lt;publisher&gt; &lt;offset&gt; &lt;epoch&gt;\n&lt;frame&gt;
 * RC2 1732763412345678 lobby node-a 7f3c... 42 9b1e...\n{"type":"message","room":"lobby",...,"offset":42}
 * </pre>
 *
 * With history on, the publish script writes everything from the offset on (it assigns the
 * offset), after the {@link #head} this class wrote; with history off the offset is 0 and the
 * epoch {@code -}. Room ids cannot contain spaces or newlines, epochs are generated without them;
 * origin and publisher are URL-encoded because node ids and user names may. A node refuses a
 * version it does not know instead of misreading it, so a mixed-version cluster drops (and logs)
 * rather than corrupts.
 */
final class EnvelopeCodec {

    private static final String MAGIC = "RC";
    private static final String NO_EPOCH = "-";

    private EnvelopeCodec() {
    }

    /** The whole payload, for an envelope that already has its position (or none: history off). */
    static String encode(Envelope envelope) {
        return head(envelope) + ' ' + envelope.offset() + ' ' + (envelope.epoch() == null ? NO_EPOCH : envelope.epoch())
                + '\n' + envelope.frame();
    }

    /** The header up to (without) the offset: what the publish script completes. */
    static String head(Envelope envelope) {
        return MAGIC + envelope.version() + ' ' + envelope.acceptedAtMicros() + ' ' + envelope.room() + ' '
                + URLEncoder.encode(envelope.origin(), StandardCharsets.UTF_8) + ' '
                + URLEncoder.encode(envelope.publisher(), StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException when the payload is not an envelope this release reads */
    static Envelope decode(String payload) {
        int newline = payload.indexOf('\n');
        String[] header = (newline < 0 ? "" : payload.substring(0, newline)).split(" ", -1);
        if (header.length < 1 || !header[0].startsWith(MAGIC)) {
            throw new IllegalArgumentException("not a Roomcast envelope");
        }
        int version = parseVersion(header[0]);
        if (version != Envelope.CURRENT_VERSION) {
            throw new IllegalArgumentException("envelope version " + version + " is not supported by this node");
        }
        if (header.length != 7) {
            throw new IllegalArgumentException("not a Roomcast envelope");
        }
        try {
            String epoch = NO_EPOCH.equals(header[6]) ? null : header[6];
            return new Envelope(version, URLDecoder.decode(header[3], StandardCharsets.UTF_8), header[2],
                    URLDecoder.decode(header[4], StandardCharsets.UTF_8), Long.parseLong(header[1]),
                    payload.substring(newline + 1), Long.parseLong(header[5]), epoch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad envelope timestamp or offset", e);
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
