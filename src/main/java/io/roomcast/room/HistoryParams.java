package io.roomcast.room;

import io.roomcast.bus.HistoryQuery;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonValue;
import java.math.BigDecimal;

/**
 * The one validation of history parameters for every entry point (the WebSocket {@code since}
 * and {@code history} request, the HTTP history resource): anything out of range or of the
 * wrong type is {@code bad_request}, so a huge {@code limit} never reaches a read.
 */
public final class HistoryParams {

    /** Largest offset a client may name: 2^53 - 1, the largest integer a JavaScript client holds exactly. */
    public static final long MAX_OFFSET = (1L << 53) - 1;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 50;

    private HistoryParams() {
    }

    /** A history request's page from JSON fields ({@code null} when absent). */
    public static HistoryQuery page(JsonValue before, JsonValue limit) {
        return page(before == null ? null : integer(before, "before", 1, MAX_OFFSET),
                limit == null ? null : integer(limit, "limit", 1, MAX_LIMIT));
    }

    /** A history request's page from query parameters ({@code null} when absent). */
    public static HistoryQuery page(String before, String limit) {
        return page(before == null ? null : integer(before, "before", 1, MAX_OFFSET),
                limit == null ? null : integer(limit, "limit", 1, MAX_LIMIT));
    }

    private static HistoryQuery page(Long before, Long limit) {
        return HistoryQuery.page(before == null ? 0 : before, limit == null ? DEFAULT_LIMIT : limit.intValue());
    }

    /** {@code value} as a whole number in {@code [min, max]}; {@code bad_request} otherwise. */
    public static long integer(JsonValue value, String name, long min, long max) {
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw outOfRange(name, min, max);
        }
        return inRange(number.bigDecimalValue(), name, min, max);
    }

    private static long integer(String text, String name, long min, long max) {
        try {
            return inRange(new BigDecimal(text.trim()), name, min, max);
        } catch (NumberFormatException e) {
            throw outOfRange(name, min, max);
        }
    }

    private static long inRange(BigDecimal value, String name, long min, long max) {
        if (value.scale() > 0 || value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw outOfRange(name, min, max);
        }
        return value.longValueExact();
    }

    private static ProtocolException outOfRange(String name, long min, long max) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
    }
}
