package io.roomcast.bus;

import java.util.List;

/**
 * A read of a room's history.
 *
 * @param epoch       the room's current epoch; null when history is off
 * @param top         the room's latest offset (0 when nothing was published in this epoch)
 * @param firstOffset the offset of {@code frames.get(0)}; the others follow one by one
 * @param frames      message frames, each with its {@code offset}, oldest first
 */
public record History(String epoch, long top, long firstOffset, List<String> frames) {

    /** What a bus without history answers. */
    public static final History NONE = new History(null, 0, 1, List.of());

    public History {
        frames = List.copyOf(frames);
    }

    /** True when {@code frames} hold every message after {@code offset} of {@code since}, up to top. */
    public boolean continues(long offset, String since) {
        if (epoch == null || !epoch.equals(since) || offset > top) {
            return false;
        }
        return offset == top || (!frames.isEmpty() && firstOffset == offset + 1 && firstOffset + frames.size() - 1 == top);
    }
}
