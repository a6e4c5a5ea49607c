package it.io.roomcast.support;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

/**
 * One room as a recovering client sees it (PROTOCOL.md section 7): the position to rejoin from
 * (epoch and last offset), every message in arrival order, what each rejoin answered, and
 * anything that breaks "each offset once, in order". Guarded by the owning client's lock.
 */
public final class RoomLog {

    /** What one {@code join} with {@code since} answered. */
    public record Rejoin(long since, String sinceEpoch, boolean recovered, String epoch, long offset) {
    }

    private final String room;
    private boolean joined;
    private String epoch;
    private long offset;
    private final List<JsonObject> messages = new ArrayList<>();
    private final List<Rejoin> rejoins = new ArrayList<>();
    private final List<String> anomalies = new ArrayList<>();

    RoomLog(String room) {
        this.room = room;
    }

    /** The join to send on a (re)connect: with {@code since} once the room has an epoch. */
    String joinFrame() {
        var join = Json.createObjectBuilder().add("type", "join").add("room", room);
        if (joined && epoch != null) {
            join.add("since", Json.createObjectBuilder().add("offset", offset).add("epoch", epoch));
        }
        return join.build().toString();
    }

    /** A copy to read outside the owning client's lock. */
    RoomLog copy() {
        RoomLog copy = new RoomLog(room);
        copy.joined = joined;
        copy.epoch = epoch;
        copy.offset = offset;
        copy.messages.addAll(messages);
        copy.rejoins.addAll(rejoins);
        copy.anomalies.addAll(anomalies);
        return copy;
    }

    void onJoined(JsonObject frame) {
        String newEpoch = frame.get("epoch") instanceof JsonString e ? e.getString() : null;
        long top = frame.get("offset") instanceof JsonNumber n ? n.longValue() : 0;
        if (!joined || epoch == null) {
            // A first join: live messages continue from the room's latest offset.
            joined = true;
            offset = top;
        } else {
            boolean recovered = frame.getBoolean("recovered", false);
            rejoins.add(new Rejoin(offset, epoch, recovered, newEpoch, top));
            if (!recovered) {
                offset = top; // the messages in between are gone: a gap the application is told of
            }
        }
        epoch = newEpoch;
    }

    void onMessage(JsonObject frame) {
        messages.add(frame);
        if (!(frame.get("offset") instanceof JsonNumber n)) {
            anomalies.add("message without offset, id " + frame.getString("id", "?"));
            return;
        }
        long received = n.longValue();
        if (received <= offset) {
            anomalies.add("offset " + received + " again or out of order after " + offset);
        } else if (received != offset + 1) {
            anomalies.add("offset " + received + " after " + offset + ": a gap nobody announced");
        }
        offset = Math.max(offset, received);
    }

    /** True once the first {@code joined} arrived. */
    public boolean joined() {
        return joined;
    }

    public String room() {
        return room;
    }

    /** The room's epoch as last told by {@code joined} (null before). */
    public String epoch() {
        return epoch;
    }

    /** The last offset received (or the room's top after a join that could not recover). */
    public long offset() {
        return offset;
    }

    public List<JsonObject> messages() {
        return List.copyOf(messages);
    }

    int messageCount() {
        return messages.size();
    }

    int rejoinCount() {
        return rejoins.size();
    }

    /** Every message's offset, in arrival order. */
    public List<Long> offsets() {
        return messages.stream().map(m -> m.get("offset") instanceof JsonNumber n ? n.longValue() : -1L).toList();
    }

    public List<Rejoin> rejoins() {
        return List.copyOf(rejoins);
    }

    /** Duplicates, reorderings and unannounced gaps, as readable lines; empty when all is well. */
    public List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    /**
     * Fails unless this room received offsets {@code first} to {@code first + count - 1}, each
     * exactly once, in that order, and nothing else went wrong on the way.
     */
    public void assertEveryOffsetOnceInOrder(long first, int count) {
        List<Long> expected = LongStream.range(first, first + count).boxed().toList();
        if (!anomalies.isEmpty() || !offsets().equals(expected)) {
            throw new AssertionError("expected offsets " + first + ".." + (first + count - 1) + " once each, in order; "
                    + "got " + this);
        }
    }

    /** Offsets as runs ({@code 1-40, 38-90}), short enough to read in a failure. */
    static String compact(List<Long> offsets) {
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < offsets.size(); i++) {
            int j = i;
            while (j + 1 < offsets.size() && offsets.get(j + 1) == offsets.get(j) + 1) {
                j++;
            }
            runs.append(runs.length() == 0 ? "" : ", ").append(offsets.get(i)).append(j > i ? "-" + offsets.get(j) : "");
            i = j;
        }
        return "[" + runs + "]";
    }

    @Override
    public String toString() {
        String firstAnomalies = anomalies.size() <= 3 ? anomalies.toString()
                : anomalies.subList(0, 3) + " and " + (anomalies.size() - 3) + " more";
        return room + ": epoch " + epoch + ", offset " + offset + ", " + messages.size() + " messages "
                + compact(offsets()) + ", rejoins " + rejoins + ", anomalies " + firstAnomalies;
    }
}
