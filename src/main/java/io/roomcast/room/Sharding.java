package io.roomcast.room;

import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Which shard serves a room (PROTOCOL.md section 4), identical to the TypeScript reference
 * {@code getShardForRoom} for every string, so that clients, proxies and servers agree.
 */
@ApplicationScoped
public class Sharding {

    @Inject
    RoomcastConfig config;

    /**
     * The reference function, step for step: Java's {@code int} arithmetic wraps exactly like
     * JavaScript's {@code | 0}, and {@code charAt} gives the same UTF-16 code units as
     * {@code split('')} with {@code charCodeAt}. The one difference is {@code Math.abs}: for
     * -2<sup>31</sup> JavaScript answers 2<sup>31</sup> while Java's int version stays negative,
     * so the absolute value is taken as a {@code long}.
     */
    public static int shardFor(String roomId, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, not " + shards);
        }
        int hash = 0;
        for (int i = 0; i < roomId.length(); i++) {
            hash = (hash << 5) - hash + roomId.charAt(i);
        }
        return (int) (Math.abs((long) hash) % shards);
    }

    /** This deployment's shard for {@code room}. */
    public int shardOf(String room) {
        return shardFor(room, config.shardCount());
    }

    public int count() {
        return config.shardCount();
    }

    /** {@code roomcast.shards.url-template} with {@code {shard}} replaced; empty when no template is set. */
    public Optional<String> url(int shard) {
        return config.shardUrlTemplate().map(template -> template.replace("{shard}", Integer.toString(shard)));
    }

    /** The shard this node serves when {@code roomcast.shards.enforce} is on; empty otherwise. */
    public Optional<Integer> enforcedShard() {
        return config.shardEnforce() ? Optional.of(config.shardSelf().orElseThrow()) : Optional.empty();
    }
}
