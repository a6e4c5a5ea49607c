package io.roomcast.bus.redis;

import io.roomcast.bus.BusImplementation;
import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.PresenceEntry;
import io.roomcast.bus.PresenceSnapshot;
import io.roomcast.bus.PresenceStore;
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
 * entries and an alive mark with an expiry: a node whose mark expired is dead, and the survivors
 * remove its entries room by room. Every command touches one slot, so a Redis Cluster works too.
 */
@ApplicationScoped
@BusImplementation("redis")
public class RedisPresenceStore implements PresenceStore {

    private static final String SEPARATOR = "|";
    private static final int SCAN_COUNT = 200;

    private static final RedisScript ADD = new RedisScript("""
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return -1 end
            redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            return redis.call('HLEN', KEYS[1])""");
    private static final RedisScript REMOVE = new RedisScript("""
            local user = redis.call('HGET', KEYS[1], ARGV[1])
            if not user then return -1 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            if redis.call('HINCRBY', KEYS[2], user, -1) <= 0 then redis.call('HDEL', KEYS[2], user) end
            return redis.call('HLEN', KEYS[1])""");
    private static final RedisScript READ = new RedisScript("""
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
        return call(jedis -> {
            jedis.sadd(RedisNames.presenceRoomsKey(entry.node()), entry.room());
            return (Long) ADD.run(jedis, keys(entry.room()), List.of(field(entry), entry.user()));
        });
    }

    @Override
    public long remove(PresenceEntry entry, boolean lastOfNode) {
        return call(jedis -> {
            long after = (Long) REMOVE.run(jedis, keys(entry.room()), List.of(field(entry)));
            if (lastOfNode) {
                jedis.srem(RedisNames.presenceRoomsKey(entry.node()), entry.room());
            }
            return after;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public PresenceSnapshot read(String room, int limit) {
        return call(jedis -> {
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
        return call(jedis -> {
            jedis.sadd(RedisNames.presenceNodesKey(), node);
            String previous = jedis.setGet(RedisNames.presenceAliveKey(node), Long.toString(System.currentTimeMillis()),
                    SetParams.setParams().px(ttl.toMillis()));
            return previous != null;
        });
    }

    @Override
    public List<String> deadNodes(String self) {
        return call(jedis -> jedis.smembers(RedisNames.presenceNodesKey()).stream()
                .filter(node -> !node.equals(self) && !jedis.exists(RedisNames.presenceAliveKey(node)))
                .toList());
    }

    @Override
    public List<PresenceEntry> entriesOf(String node) {
        return call(jedis -> {
            List<PresenceEntry> entries = new ArrayList<>();
            ScanParams params = new ScanParams().match(globEscaped(node) + SEPARATOR + "*").count(SCAN_COUNT);
            for (String room : jedis.smembers(RedisNames.presenceRoomsKey(node))) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<Map.Entry<String, String>> page = jedis.hscan(RedisNames.presenceKey(room), cursor, params);
                    page.getResult().forEach(e -> entries.add(entry(room, e.getKey(), e.getValue())));
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
            return entries;
        });
    }

    @Override
    public void forget(String node) {
        call(jedis -> {
            jedis.del(RedisNames.presenceRoomsKey(node));
            return jedis.srem(RedisNames.presenceNodesKey(), node);
        });
    }

    private <T> T call(Function<Jedis, T> commands) {
        try (Jedis jedis = connections.borrow()) {
            return commands.apply(jedis);
        } catch (JedisException e) {
            throw new BusUnavailableException("Redis presence failed: " + e.getMessage(), e);
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
