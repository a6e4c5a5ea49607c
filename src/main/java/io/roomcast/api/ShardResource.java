package io.roomcast.api;

import io.roomcast.room.RoomId;
import io.roomcast.room.Sharding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/rooms/{room}/shard}: which shard serves a room, and where to connect for it. */
@ApplicationScoped
@Path("rooms/{room}/shard")
public class ShardResource {

    @Inject
    Sharding sharding;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject shard(@PathParam("room") String room) {
        RoomId.require(room);
        int shard = sharding.shardOf(room);
        JsonObjectBuilder answer = Json.createObjectBuilder().add("room", room).add("shard", shard)
                .add("shards", sharding.count());
        sharding.url(shard).ifPresentOrElse(url -> answer.add("url", url), () -> answer.addNull("url"));
        return answer.build();
    }
}
