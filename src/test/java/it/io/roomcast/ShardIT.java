package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node that serves shard 0 of 4 (PROTOCOL.md section 4). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ShardIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("shards", Map.of("roomcast.shards.count", "4", "roomcast.shards.self", "0",
                "roomcast.shards.enforce", "true", "roomcast.shards.url-template", "wss://ws-{shard}.example.com/ws"));
    }

    @ArquillianResource
    URL base;

    @Test
    void shardEndpointNamesTheShardAndItsUrl() throws Exception {
        var response = Http.get(Urls.app(base, "/api/rooms/lobby/shard"));
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Json.createObjectBuilder().add("room", "lobby").add("shard", 2).add("shards", 4)
                .add("url", "wss://ws-2.example.com/ws").build(),
                Json.createReader(new StringReader(response.body())).readObject());
        assertEquals(400, Http.get(Urls.app(base, "/api/rooms/no%20spaces/shard")).statusCode());
    }

    @Test
    void joiningAnotherShardsRoomIsWrongShardWithShardAndUrl() throws Exception {
        try (WsClient client = WsClient.connect(Urls.websocket(base))) {
            client.join("chat"); // shard 0: served here
            JsonObject refused = client.request("{\"type\":\"join\",\"room\":\"lobby\",\"ref\":\"j\"}");
            assertEquals("wrong_shard", refused.getString("code"), refused.toString());
            assertEquals(2, refused.getInt("shard"));
            assertEquals("wss://ws-2.example.com/ws", refused.getString("url"));
            assertEquals("j", refused.getString("ref"));
        }
    }

    @Test
    void adminSystemMessageToAnotherShardsRoomIsA421NamingTheShard() throws Exception {
        var refused = Http.postJson(Urls.app(base, "/api/admin/rooms/lobby/messages"), "\"maintenance\"");
        assertEquals(421, refused.statusCode(), refused.body());
        JsonObject error = Json.createReader(new StringReader(refused.body())).readObject();
        assertEquals("wrong_shard", error.getString("code"), refused.body());
        assertEquals(2, error.getInt("shard"));
        assertEquals("wss://ws-2.example.com/ws", error.getString("url"));
    }
}
