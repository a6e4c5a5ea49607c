package it.io.roomcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.Browser;
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
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin console at {@code /admin} in a real browser, on one node deployed under a context
 * root of its own (so every URL the pages use must follow the context root): live counts,
 * system message and session disconnect.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminConsoleIT {

    private static final String NODE = "admin-it";
    private static final String ROW = "tr[data-node='" + NODE + "'] ";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("webadmin", Map.of("roomcast.node-id", NODE, "roomcast.max-connections", "50"));
    }

    @ArquillianResource
    URL base;

    @Test
    @SuppressWarnings("try") // closes one client mid-test to see the count drop; WsClient.close is idempotent
    void consoleShowsLiveCountsThatChangeWhenClientsConnect() throws Exception {
        try (Browser admin = Browser.open()) {
            admin.get(Urls.app(base, "/admin"));
            admin.awaitText("#feed", "live");
            admin.awaitText(ROW + "td.connections", "0 / 50");
            try (WsClient first = WsClient.connect(ws()); WsClient second = WsClient.connect(ws())) {
                first.join("ops-room");
                second.join("ops-room");
                admin.awaitText(ROW + "td.connections", "2 / 50");
                admin.awaitText(ROW + "td.rooms", "1");
                admin.awaitText("tr[data-room='ops-room'] td.total", "2");
                admin.screenshot("admin-two-clients");
                second.close();
                admin.awaitText(ROW + "td.connections", "1 / 50");
            }
        }
    }

    @Test
    void consoleSendsASystemMessageToARoom() throws Exception {
        try (Browser admin = Browser.open(); WsClient member = WsClient.connect(ws())) {
            member.join("announcements");
            admin.get(Urls.app(base, "/admin/"));
            admin.type("message-room", "announcements");
            admin.type("message-text", "maintenance at noon");
            admin.click("send-message");

            JsonObject message = member.next(f -> "message".equals(f.getString("type")));
            assertEquals("maintenance at noon", message.getJsonObject("data").getString("text"));
            assertEquals("server", message.getString("from"));
            admin.awaitText("#action-result", "accepted (202)");
        }
    }

    @Test
    void consoleDisconnectsASessionAndThePageStaysClosed() throws Exception {
        try (Browser admin = Browser.open(); Browser chat = Browser.open()) {
            chat.get(Urls.app(base, "/?name=Mallory&room=lobby"));
            chat.awaitState("open", Duration.ofSeconds(30));
            String session = chat.text("session");

            admin.get(Urls.app(base, "/admin/"));
            admin.type("session-id", session);
            admin.click("disconnect");
            admin.awaitText("#action-result", "done (200)");

            chat.awaitState("closed", WsClient.WAIT);
            chat.awaitText("#problem", "Disconnected (1008): Disconnected by an administrator");
            chat.screenshot("chat-disconnected-by-admin");
        }
    }

    @Test
    void unknownSessionAndBadRoomGetClearErrors() throws Exception {
        HttpResponse<String> noSession = Http.postJson(Urls.app(base, "/api/admin/sessions/nobody/disconnect"), "");
        assertEquals(404, noSession.statusCode());
        assertEquals("not_found", code(noSession));

        HttpResponse<String> badRoom = Http.postJson(Urls.app(base, "/api/admin/rooms/bad%20room/messages"), "\"hi\"");
        assertEquals(400, badRoom.statusCode());
        assertEquals("bad_room", code(badRoom));

        HttpResponse<String> badBody = Http.postJson(Urls.app(base, "/api/admin/rooms/lobby/messages"), "{oops");
        assertEquals(400, badBody.statusCode());
        assertEquals("bad_json", code(badBody), "the same code as the publish API gives");
    }

    private URI ws() {
        return Urls.websocket(base);
    }

    private static String code(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject().getString("code");
    }
}
