package io.roomcast.bus.redis;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.Position;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * A room's history in Redis (contract section 7): the hash {@code roomcast:{R}:meta} holds the
 * epoch and the latest offset, the list {@code roomcast:{R}:history} the last {@code size}
 * finished frames, the newest at the right. Both keys expire {@code ttl} seconds after the
 * room's last publish. The list's last element always has the offset in the hash, so the
 * offset of any element follows from its index.
 *
 * <p>Every publish is one script (atomic in Redis): create the meta if missing (a new epoch;
 * a history left from an old epoch is dropped), increment the offset, splice it into the frame,
 * append and trim, refresh both expiries, and publish the envelope with offset and epoch on
 * the room channel, so no message is in history without being published or published without
 * its offset. The publish command is a parameter: {@code PUBLISH}, or {@code SPUBLISH} on a
 * Redis Cluster (the channel is passed as a key, so a cluster routes the script to its slot).
 */
final class RoomHistory {

    private static final LuaScript PUBLISH = new LuaScript("""
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[3]
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
            end
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local frame = string.sub(ARGV[2], 1, -2) .. ',"offset":' .. offset .. '}'
            redis.call('RPUSH', KEYS[2], frame)
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
            redis.call('EXPIRE', KEYS[1], ARGV[5])
            redis.call('EXPIRE', KEYS[2], ARGV[5])
            redis.call(ARGV[6], KEYS[3], ARGV[1] .. ' ' .. offset .. ' ' .. epoch .. '\\n' .. frame)
            return {offset, epoch}
            """);

    private static final LuaScript READ = new LuaScript("""
            local meta = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
            local epoch = meta[1]
            local top = tonumber(meta[2]) or 0
            if not epoch then
              epoch = ARGV[4]
              top = 0
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
              redis.call('EXPIRE', KEYS[1], ARGV[5])
            end
            local first = top - redis.call('LLEN', KEYS[2]) + 1
            local high = math.min(top, tonumber(ARGV[2]) - 1)
            local low = math.max(first, tonumber(ARGV[1]) + 1, high - tonumber(ARGV[3]) + 1)
            local frames = {}
            if tonumber(ARGV[3]) > 0 and low <= high then
              frames = redis.call('LRANGE', KEYS[2], low - first, high - first)
            end
            return {epoch, top, low, frames}
            """);

    private final String size;
    private final String ttlSeconds;
    private final String publishCommand;

    /**
     * @param publishCommand {@code PUBLISH}, or {@code SPUBLISH} for a Redis Cluster
     */
    RoomHistory(int size, long ttlSeconds, String publishCommand) {
        this.size = Integer.toString(size);
        this.ttlSeconds = Long.toString(ttlSeconds);
        this.publishCommand = publishCommand;
    }

    LuaScript publishScript() {
        return PUBLISH;
    }

    /** The publish script's keys: meta, history, channel (all in the room's slot). */
    static List<String> publishKeys(String room) {
        return List.of(RedisNames.metaKey(room), RedisNames.historyKey(room), RedisNames.roomChannel(room));
    }

    /** The publish script's arguments for {@code envelope} (whose frame gets the offset). */
    List<String> publishArgs(Envelope envelope) {
        return List.of(EnvelopeCodec.head(envelope), envelope.frame(), newEpoch(), size, ttlSeconds, publishCommand);
    }

    /** The publish script's answer: {offset, epoch}. */
    static Position position(Object reply) {
        List<?> fields = (List<?>) reply;
        return new Position((Long) fields.get(0), (String) fields.get(1));
    }

    /**
     * Queues one consistent read (see {@link io.roomcast.bus.MessageBus#history}) on a pipeline:
     * by its digest, whose response fails with NOSCRIPT when Redis forgot the script, or with
     * {@code scriptText} as the whole script.
     */
    Response<Object> queueRead(Pipeline pipeline, String room, HistoryQuery query, boolean scriptText) {
        return scriptText ? READ.queueText(pipeline, readKeys(room), readArgs(query)) : READ.queue(pipeline, readKeys(room), readArgs(query));
    }

    /** The read script's answer: {epoch, top, first offset, frames}. */
    static History history(Object reply) {
        List<?> fields = (List<?>) reply;
        List<String> frames = ((List<?>) fields.get(3)).stream().map(String.class::cast).toList();
        return new History((String) fields.get(0), (Long) fields.get(1), (Long) fields.get(2), frames);
    }

    private static List<String> readKeys(String room) {
        return List.of(RedisNames.metaKey(room), RedisNames.historyKey(room));
    }

    private List<String> readArgs(HistoryQuery query) {
        return List.of(Long.toString(query.after()), Long.toString(query.before()), Integer.toString(query.limit()),
                newEpoch(), ttlSeconds);
    }

    /** A fresh epoch name: 64 random bits in base 36, no spaces (it travels in the envelope header). */
    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
