package io.roomcast.bus.redis;

import io.roomcast.bus.Envelope;
import io.roomcast.bus.History;
import io.roomcast.bus.HistoryQuery;
import io.roomcast.bus.Position;
import io.roomcast.bus.PublishKey;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * A room's history in Redis (contract section 7): the hash {@code roomcast:{R}:meta} holds the
 * epoch and the latest offset, the list {@code roomcast:{R}:history} the last {@code size}
 * finished frames, the newest at the right. The hash {@code roomcast:{R}:keys} maps each
 * idempotency key to {@code "<offset> <id>"} of its message, and its field {@code ""} (never a
 * key: keys have 1 to 64 characters) to the epoch those keys belong to, so that keys of an older
 * epoch are dropped, not answered, even when a join (which writes only the meta) started the new
 * epoch; the list {@code roomcast:{R}:keys:order} holds the keys oldest first, so that only the
 * newest {@code maxKeys} are kept. Every key expires {@code ttl} seconds after the room's last publish,
 * all together; the list's last element always has the offset in the hash, so the offset of any
 * element follows from its index.
 *
 * <p>Every publish is one script (atomic in Redis): create the meta if missing (a new epoch;
 * history and keys left from an old epoch are dropped), answer a known key with its first
 * message (nothing stored or published), else increment the offset, splice offset and epoch into
 * the frame ({@link Envelope#withPosition}, the same text), append and trim, remember the key,
 * refresh every expiry, and publish the envelope with offset and epoch on the room channel, so
 * no message is in history without being published or published without its position. The
 * publish command is a parameter: {@code PUBLISH}, or {@code SPUBLISH} on a Redis Cluster (the
 * channel is passed as a key, so a cluster routes the script to its slot).
 *
 * <p>Reads never write, except a member's join of a room without history: it stores the new
 * epoch ({@link HistoryQuery#join()}), so that the member's later {@code since} matches the
 * epoch the room's publishes continue. A join needs the right to join the room, so this creates
 * no more keys than joins (and their rate limit) allow; an anonymous read creates none.
 */
final class RoomHistory {

    private static final LuaScript PUBLISH = new LuaScript("""
            local epoch = redis.call('HGET', KEYS[1], 'epoch')
            if not epoch then
              epoch = ARGV[3]
              redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
              redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
            end
            local key = ARGV[7]
            if key ~= '' then
              local known = redis.call('HMGET', KEYS[4], '', key)
              if known[1] ~= epoch then
                redis.call('DEL', KEYS[4], KEYS[5])
              elseif known[2] then
                local space = string.find(known[2], ' ', 1, true)
                return {tonumber(string.sub(known[2], 1, space - 1)), epoch, string.sub(known[2], space + 1)}
              end
            end
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local frame = string.sub(ARGV[2], 1, -2) .. ',"offset":' .. offset .. ',"epoch":"' .. epoch .. '"}'
            redis.call('RPUSH', KEYS[2], frame)
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
            if key ~= '' then
              redis.call('HSET', KEYS[4], '', epoch, key, offset .. ' ' .. ARGV[8])
              if redis.call('RPUSH', KEYS[5], key) > tonumber(ARGV[9]) then
                redis.call('HDEL', KEYS[4], redis.call('LPOP', KEYS[5]))
              end
            end
            for i = 1, 5 do
              if i ~= 3 then redis.call('EXPIRE', KEYS[i], ARGV[5]) end
            end
            redis.call(ARGV[6], KEYS[3], ARGV[1] .. ' ' .. offset .. ' ' .. epoch .. '\\n' .. frame)
            return {offset, epoch}
            """);

    private static final LuaScript READ = new LuaScript("""
            local meta = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
            local epoch = meta[1]
            local top = tonumber(meta[2]) or 0
            if not epoch then
              if ARGV[6] ~= '1' then
                return {ARGV[4], 0, 1, {}}
              end
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
    private final String maxKeys;
    private final String ttlSeconds;
    private final String publishCommand;

    /**
     * @param maxKeys        idempotency keys kept per room
     * @param publishCommand {@code PUBLISH}, or {@code SPUBLISH} for a Redis Cluster
     */
    RoomHistory(int size, int maxKeys, long ttlSeconds, String publishCommand) {
        this.size = Integer.toString(size);
        this.maxKeys = Integer.toString(maxKeys);
        this.ttlSeconds = Long.toString(ttlSeconds);
        this.publishCommand = publishCommand;
    }

    LuaScript publishScript() {
        return PUBLISH;
    }

    /** The publish script's keys: meta, history, channel, keys, key order (all in the room's slot). */
    static List<String> publishKeys(String room) {
        return List.of(RedisNames.metaKey(room), RedisNames.historyKey(room), RedisNames.roomChannel(room),
                RedisNames.publishKeysKey(room), RedisNames.publishKeyOrderKey(room));
    }

    /** The publish script's arguments for {@code envelope} (whose frame gets the position) and its key, if any. */
    List<String> publishArgs(Envelope envelope, PublishKey key) {
        return List.of(EnvelopeCodec.head(envelope), envelope.frame(), newEpoch(), size, ttlSeconds, publishCommand,
                key == null ? "" : key.key(), key == null ? "" : key.messageId(), maxKeys);
    }

    /** The publish script's answer: {offset, epoch}, or {offset, epoch, first id} for a repeated key. */
    static Position position(Object reply) {
        List<?> fields = (List<?>) reply;
        String duplicateOf = fields.size() > 2 ? (String) fields.get(2) : null;
        return new Position((Long) fields.get(0), (String) fields.get(1), duplicateOf);
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

    /** Meta and history only: during a slot migration a script whose keys are not all on one side gets TRYAGAIN. */
    private static List<String> readKeys(String room) {
        return List.of(RedisNames.metaKey(room), RedisNames.historyKey(room));
    }

    private List<String> readArgs(HistoryQuery query) {
        return List.of(Long.toString(query.after()), Long.toString(query.before()), Integer.toString(query.limit()),
                newEpoch(), ttlSeconds, query.join() ? "1" : "0");
    }

    /** A fresh epoch name: 64 random bits in base 36, no spaces (it travels in the envelope header). */
    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }
}
