package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Presence with the in-memory bus, on one real Liberty node: a connection sees itself in the
 * presence it asks for right after joining, watchers get events, and rooms above
 * {@code roomcast.presence.max-event-members} stay silent while their counts stay exact.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PresenceMemoryIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("presence-memory", Map.of("roomcast.presence.max-event-members", "3"));
    }

    @ArquillianResource
    URL base;

    private URI ws() {
        return Urls.websocket(base);
    }

    @Test
    @SuppressWarnings("try") // closes a member mid-test to see its leave; WsClient.close is idempotent
    void aMemberSeesItselfAtOnceAndWatchersSeeOthersComeAndGo() throws Exception {
        try (WsClient watcher = WsClient.connect(ws()); WsClient ann = WsClient.connect(ws())) {
            watcher.request("{\"type\":\"join\",\"room\":\"mem-lobby\",\"presence\":true}");
            JsonObject own = watcher.request("{\"type\":\"presence\",\"room\":\"mem-lobby\",\"ref\":\"p\"}");
            assertEquals(1, own.getInt("count"), own.toString());
            assertEquals(watcher.sessionId(), own.getJsonArray("members").getJsonObject(0).getString("session"));
            assertEquals(watcher.welcome().getString("node"), own.getJsonArray("members").getJsonObject(0).getString("node"));
            ann.join("mem-lobby");
            JsonObject joined = watcher.next(f -> f.getString("type").startsWith("presence_"));
            assertEquals(Json.createObjectBuilder().add("type", "presence_join").add("room", "mem-lobby")
                    .add("user", ann.sessionId()).add("session", ann.sessionId()).build(), joined);
            ann.close();
            JsonObject left = watcher.next(f -> f.getString("type").startsWith("presence_"));
            assertEquals("presence_leave", left.getString("type"));
            assertEquals(ann.sessionId(), left.getString("session"));
            HttpResponse<String> api = Http.get(Urls.app(base, "/api/rooms/mem-lobby/presence"));
            assertEquals(200, api.statusCode(), api.body());
            JsonObject body = Json.createReader(new StringReader(api.body())).readObject();
            assertEquals(1, body.getInt("count"));
            assertEquals("mem-lobby", body.getString("room"));
        }
    }

    @Test
    @SuppressWarnings("try") // closes a member mid-test to see its leave; WsClient.close is idempotent
    void roomsAboveTheEventLimitSendNoEventsButCountExactly() throws Exception {
        try (WsClient watcher = WsClient.connect(ws()); WsClient a = WsClient.connect(ws());
             WsClient b = WsClient.connect(ws()); WsClient c = WsClient.connect(ws())) {
            watcher.request("{\"type\":\"join\",\"room\":\"mem-big\",\"presence\":true}");
            a.join("mem-big");
            b.join("mem-big");
            assertEquals(b.sessionId(), watcher.next(f -> "presence_join".equals(f.getString("type"))
                    && b.sessionId().equals(f.getString("session"))).getString("session"), "3 members: still events");
            c.join("mem-big");
            assertEquals("left", c.request("{\"type\":\"leave\",\"room\":\"mem-big\"}").getString("type"));
            a.close(); // after c's leave was answered: the store sees c leave first
            // a's leave brings the room back to 3: the first event after the limit.
            JsonObject next = watcher.next(f -> f.getString("type").startsWith("presence_"));
            assertEquals("presence_leave", next.getString("type"), "no event for c, who came and went in a room of 4");
            assertEquals(a.sessionId(), next.getString("session"));
            assertEquals(2, watcher.request("{\"type\":\"presence\",\"room\":\"mem-big\"}").getInt("count"));
        }
    }
}
