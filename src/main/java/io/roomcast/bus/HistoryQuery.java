package io.roomcast.bus;

/**
 * Which part of a room's history to read: the newest {@code limit} messages whose offset is
 * above {@code after} and below {@code before}, returned oldest first. A limit of 0 reads only
 * the position (epoch and top offset).
 *
 * @param join true for a member's join ({@link #position}, {@link #since}): a room without
 *             history then gets its new epoch stored, so that the member's later {@code since}
 *             names the epoch its publishes continue. False for a read by anyone ({@link #page}:
 *             the {@code history} request, HTTP), which never writes: else any caller could fill
 *             the store with rooms by naming them (issue 24, "reads that write").
 */
public record HistoryQuery(long after, long before, int limit, boolean join) {

    public HistoryQuery {
        if (after < 0 || before < 1 || limit < 0) {
            throw new IllegalArgumentException("bad history query " + after + "/" + before + "/" + limit);
        }
        after = Math.min(after, Long.MAX_VALUE - 1); // after + 1 stays a valid offset
    }

    /** A joining member's read of the epoch and top offset only. */
    public static HistoryQuery position() {
        return new HistoryQuery(0, Long.MAX_VALUE, 0, true);
    }

    /** A rejoining member's read of every kept message after {@code offset} (at most {@code historySize} exist). */
    public static HistoryQuery since(long offset, int historySize) {
        return new HistoryQuery(offset, Long.MAX_VALUE, historySize, true);
    }

    /** Anyone's read of the newest {@code limit} messages below {@code before} (no bound when 0). */
    public static HistoryQuery page(long before, int limit) {
        return new HistoryQuery(0, before <= 0 ? Long.MAX_VALUE : before, limit, false);
    }

    /** True when no message can match without reading any. */
    public boolean readsNothing() {
        return limit == 0 || after >= before - 1;
    }
}
