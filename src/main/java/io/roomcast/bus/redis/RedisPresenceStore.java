package io.roomcast.bus.redis;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceWrite;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Presence in Redis. Per room, the hash {@code roomcast:{R}:presence} (field {@code node|session},
 * value the user) and the hash {@code roomcast:{R}:presence:users} (user, number of connections),
 * both under the room's hash tag and changed together by one script, so {@code count} and
 * {@code users} are two {@code HLEN}s and always agree. Per node, the set of rooms where it has
 * entries and an alive mark with an expiry, and in one hash every node with entries and when it
 * last entered a room: a node without a mark (past a grace after that time) is dead, and the
 * survivors remove its entries room by room. Every command touches one slot, so a Redis Cluster works too.
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisPresenceStore implements PresenceStore {

    private static final String SEPARATOR = "|";
    private static final int SCAN_COUNT = 200;

    private static final LuaScript ADD = new LuaScript("""
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return -1 end
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            return redis.call('HLEN', KEYS[1])""");
    private static final LuaScript REMOVE = new LuaScript("""
            local user = redis.call('HGET', KEYS[1], ARGV[1])
            if not user then return -1 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then redis.call('HDEL', KEYS[2], user) end
            return redis.call('HLEN', KEYS[1])""");
    /** KEYS: presence, users, watchers. ARGV: field, user. {count or -1, watched}. */
    private static final LuaScript JOIN = new LuaScript("""
            local watched = redis.call('EXISTS', KEYS[3])
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return {-1, watched} end
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            return {redis.call('HLEN', KEYS[1]), watched}""");
    /** KEYS: presence, users, watchers. ARGV: field, node, '1' for the node's last. {count or -1, watched}. */
    private static final LuaScript LEAVE = new LuaScript("""
            if ARGV[3] == '1' then redis.call('SREM', KEYS[3], ARGV[2]) end
            local watched = redis.call('EXISTS', KEYS[3])
            local user = redis.call('HGET', KEYS[1], ARGV[1])
            if not user then return {-1, watched} end
            redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then redis.call('HDEL', KEYS[2], user) end
            return {redis.call('HLEN', KEYS[1]), watched}""");
    private static final LuaScript READ = new LuaScript("""
            local members, cursor, limit = {}, '0', tonumber(ARGV[1])
            repeat
              local page = redis.call('HSCAN', KEYS[1], cursor, 'COUNT', limit)
              cursor = page[1]
              for i = 1, #page[2] do members[#members + 1] = page[2][i] end
            until cursor == '0' or #members >= 2 * limit
            return {redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[2]), members}""");

    @Inject
    RedisConnections connections;

    /** Builds a store outside the container (tests). */
    static RedisPresenceStore create(RedisConnections connections) {
        RedisPresenceStore store = new RedisPresenceStore();
        store.connections = connections;
        return store;
    }

    @Override
    public long add(PresenceEntry entry) {
        // Whenever a node's set of rooms gains one, the node is listed too: entries of a node that
        // no survivor can find would never be removed (say, written after a Redis restart by a
        // node killed before its next alive mark).
        recordRoomOfNode(entry);
        return call(RedisNames.presenceKey(entry.room()),
                jedis -> (Long) ADD.run(jedis, keys(entry.room()), List.of(field(entry), entry.user())));
    }

    /** Lists the entry's room under its node, and the node itself when the room is new to it. */
    private void recordRoomOfNode(PresenceEntry entry) {
        String rooms = RedisNames.presenceRoomsKey(entry.node());
        if (call(rooms, jedis -> jedis.sadd(rooms, entry.room())) == 1) {
            call(RedisNames.presenceNodesKey(), jedis -> jedis.hset(RedisNames.presenceNodesKey(), entry.node(), now()));
        }
    }

    @Override
    public long remove(PresenceEntry entry, boolean lastOfNode) {
        long after = call(RedisNames.presenceKey(entry.room()),
                jedis -> (Long) REMOVE.run(jedis, keys(entry.room()), List.of(field(entry))));
        if (lastOfNode) {
            String rooms = RedisNames.presenceRoomsKey(entry.node());
            call(rooms, jedis -> jedis.srem(rooms, entry.room()));
        }
        return after;
    }

    /**
     * One script in the room's slot that also answers whether the room is watched; the node's
     * room is recorded (or dropped) only for its first (or last) connection there, so a join into
     * a room the node is in already is one round trip instead of two or three.
     */
    @Override
    public PresenceWrite change(PresenceEntry entry, boolean joined, boolean onlyOfNode) {
        if (joined && onlyOfNode) {
            recordRoomOfNode(entry);
        }
        List<String> keys = List.of(RedisNames.presenceKey(entry.room()), RedisNames.presenceUsersKey(entry.room()),
                RedisNames.presenceWatchersKey(entry.room()));
        List<?> reply = call(keys.get(0), jedis -> (List<?>) (joined
                ? JOIN.run(jedis, keys, List.of(field(entry), entry.user()))
                : LEAVE.run(jedis, keys, List.of(field(entry), entry.node(), onlyOfNode ? "1" : "0"))));
        if (!joined && onlyOfNode) {
            String rooms = RedisNames.presenceRoomsKey(entry.node());
            call(rooms, jedis -> jedis.srem(rooms, entry.room()));
        }
        return new PresenceWrite((Long) reply.get(0), (Long) reply.get(1) == 1);
    }

    @Override
    public void watching(String room, String node, boolean watched) {
        String key = RedisNames.presenceWatchersKey(room);
        call(key, jedis -> watched ? jedis.sadd(key, node) : jedis.srem(key, node));
    }

    @Override
    @SuppressWarnings("unchecked")
    public PresenceSnapshot read(String room, int limit) {
        return call(RedisNames.presenceKey(room), jedis -> {
            List<Object> reply = (List<Object>) READ.run(jedis, keys(room), List.of(Integer.toString(limit)));
            List<Object> pairs = (List<Object>) reply.get(2);
            List<PresenceEntry> members = new ArrayList<>();
            for (int i = 0; i + 1 < pairs.size() && members.size() < limit; i += 2) {
                members.add(entry(room, text(pairs.get(i)), text(pairs.get(i + 1))));
            }
            return new PresenceSnapshot((Long) reply.get(0), (Long) reply.get(1), members);
        });
    }

    @Override
    public boolean markAlive(String node, Duration ttl) {
        call(RedisNames.presenceNodesKey(), jedis -> jedis.hsetnx(RedisNames.presenceNodesKey(), node, now()));
        String alive = RedisNames.presenceAliveKey(node);
        return call(alive, jedis -> jedis.setGet(alive, Long.toString(System.currentTimeMillis()),
                SetParams.setParams().px(ttl.toMillis()))) != null;
    }

    @Override
    public List<String> deadNodes(String self, Duration grace) {
        long before = System.currentTimeMillis() - grace.toMillis();
        return call(RedisNames.presenceNodesKey(), jedis -> jedis.hgetAll(RedisNames.presenceNodesKey())).entrySet().stream()
                .filter(node -> !node.getKey().equals(self) && registeredAt(node.getValue()) <= before)
                .map(Map.Entry::getKey)
                .filter(node -> !call(RedisNames.presenceAliveKey(node), jedis -> jedis.exists(RedisNames.presenceAliveKey(node))))
                .toList();
    }

    @Override
    public List<PresenceEntry> entriesOf(String node) {
        String rooms = RedisNames.presenceRoomsKey(node);
        ScanParams params = new ScanParams().match(globEscaped(node) + SEPARATOR + "*").count(SCAN_COUNT);
        List<PresenceEntry> entries = new ArrayList<>();
        for (String room : call(rooms, jedis -> jedis.smembers(rooms))) {
            String key = RedisNames.presenceKey(room);
            call(key, jedis -> {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<Map.Entry<String, String>> page = jedis.hscan(key, cursor, params);
                    page.getResult().forEach(e -> entries.add(entry(room, e.getKey(), e.getValue())));
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
                return null;
            });
        }
        return entries;
    }

    @Override
    public void forget(String node) {
        String rooms = RedisNames.presenceRoomsKey(node);
        call(rooms, jedis -> jedis.smembers(rooms)).forEach(room -> watching(room, node, false));
        call(rooms, jedis -> jedis.del(rooms));
        call(RedisNames.presenceNodesKey(), jedis -> jedis.hdel(RedisNames.presenceNodesKey(), node));
    }

    /** Runs {@code commands} on a connection to where {@code key} lives (each call touches one slot). */
    private <T> T call(String key, Function<Jedis, T> commands) {
        try (Jedis jedis = connections.borrowFor(key)) {
            return commands.apply(jedis);
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis presence failed: " + e.getMessage(), e);
        }
    }

    /** Registration times are this node's clock; the grace they give is seconds, far above clock skew. */
    private static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    private static long registeredAt(String millis) {
        try {
            return Long.parseLong(millis);
        } catch (NumberFormatException e) {
            return 0; // not written by this release: no grace
        }
    }

    private static List<String> keys(String room) {
        return List.of(RedisNames.presenceKey(room), RedisNames.presenceUsersKey(room));
    }

    private static String field(PresenceEntry entry) {
        return entry.node() + SEPARATOR + entry.session();
    }

    /** The entry of a hash field; session ids never contain the separator, node ids might. */
    private static PresenceEntry entry(String room, String field, String user) {
        int split = field.lastIndexOf(SEPARATOR);
        return new PresenceEntry(room, field.substring(0, split), field.substring(split + 1), user);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    /** {@code text} matched literally by a {@code SCAN MATCH} pattern. */
    private static String globEscaped(String text) {
        return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
