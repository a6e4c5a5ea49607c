package io.roomcast.room;

import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * With {@code roomcast.shards.enforce=true}, refuses to join (or HTTP-publish to) a room of
 * another shard with {@code wrong_shard}, naming the right shard and its URL so that a client
 * can reconnect there. Publishing over WebSocket needs membership, so the join check covers it.
 */
@ApplicationScoped
public class ShardGuard implements RoomGuard {

    @Inject
    Sharding sharding;

    @Override
    public void checkJoin(Caller caller, String room) {
        check(room);
    }

    @Override
    public void checkPublish(Caller caller, String room) {
        check(room);
    }

    private void check(String room) {
        sharding.enforcedShard().ifPresent(self -> {
            int shard = sharding.shardOf(room);
            if (shard != self) {
                JsonObjectBuilder details = Json.createObjectBuilder().add("shard", shard);
                sharding.url(shard).ifPresentOrElse(url -> details.add("url", url), () -> details.addNull("url"));
                throw new ProtocolException(ErrorCode.WRONG_SHARD,
                        "Room " + room + " belongs to shard " + shard + "; this node serves shard " + self,
                        details.build());
            }
        });
    }
}
