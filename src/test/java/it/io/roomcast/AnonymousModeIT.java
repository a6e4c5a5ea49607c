package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Health;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.RoleProbeResource;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The default {@code roomcast.auth.mode=none}: callers are anonymous, so the ACL leaves them
 * only {@code *} rooms and rooms no rule matches; an untrusted peer cannot dodge the per-address
 * limit with {@code X-Forwarded-For}; the API needs no role, and the admin API and console
 * answer only callers on this machine (not those of a proxy or sidecar on it), and a wrong
 * cluster key is refused.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AnonymousModeIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("anonymous", Map.of(
                "roomcast.acl", "staff-*=staff/staff;news=*/editors",
                "roomcast.max-connections-per-address", "2")).addClass(RoleProbeResource.class);
    }

    @ArquillianResource
    URL base;

    @Test
    void aclStillAppliesToAnonymousCallers() throws Exception {
        try (WsClient anonymous = WsClient.connect(Urls.websocket(base))) {
            assertError(anonymous.request("{\"type\":\"join\",\"room\":\"staff-chat\"}"), "forbidden");
            anonymous.join("news");
            assertError(anonymous.request("{\"type\":\"publish\",\"room\":\"news\",\"data\":1}"), "forbidden");
            anonymous.join("lobby");
            anonymous.send("{\"type\":\"publish\",\"room\":\"lobby\",\"data\":1}");
            assertEquals(anonymous.sessionId(), anonymous.messages(1).get(0).getString("from"));
        }
    }

    @Test
    void untrustedPeerCannotDodgeTheAddressLimitWithForwardedFor() throws Exception {
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 1; i <= 2; i++) {
                RawWebSocket socket = RawWebSocket.connect(Urls.websocket(base), InetAddress.getByName("127.0.0.2"),
                        Map.of("X-Forwarded-For", "192.0.2." + i));
                sockets.add(socket);
                assertEquals(1, socket.readFrame().opcode(), "welcome");
            }
            RawWebSocket third = RawWebSocket.connect(Urls.websocket(base), InetAddress.getByName("127.0.0.2"),
                    Map.of("X-Forwarded-For", "192.0.2.3"));
            sockets.add(third);
            assertEquals(1008, third.readUntilClose());
            // Another address is not affected.
            try (WsClient local = WsClient.connect(Urls.websocket(base))) {
                assertEquals("welcome", local.welcome().getString("type"));
            }
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void apiNeedsNoRoleWhenAuthenticationIsOff() throws Exception {
        assertEquals(200, Http.get(Urls.app(base, "/api/probe/admin")).statusCode());
    }

    @Test
    void adminApiAndConsoleAnswerOnlyCallersOnThisMachine() throws Exception {
        // The default trusted proxy is 127.0.0.1: these requests come through a local proxy from afar.
        Map<String, String> remote = Map.of("X-Forwarded-For", "192.0.2.9");
        HttpResponse<String> drain = Http.postJson(Urls.app(base, "/api/admin/drain"), "", remote);
        assertHttpError(drain, 403, "forbidden");
        assertTrue(drain.body().contains("roomcast.admin.allow-remote"), drain.body());
        assertEquals("UP", Health.check(Urls.serverRoot(base, "/health/ready")).getString("status"), "not drained");
        assertHttpError(Http.postJson(Urls.app(base, "/api/admin/sessions/any/disconnect"), "", remote), 403, "forbidden");
        assertHttpError(Http.get(Urls.app(base, "/api/cluster"), remote), 403, "forbidden");
        assertEquals(403, Http.get(Urls.app(base, "/admin/"), remote).statusCode(), "the console page");

        assertEquals(200, Http.get(Urls.app(base, "/api/cluster")).statusCode(), "a local caller");
        assertEquals(200, Http.get(Urls.app(base, "/admin/")).statusCode(), "a local caller");
        // The publish API is not an admin API: remote callers still reach it.
        assertEquals(202, Http.postJson(Urls.app(base, "/api/rooms/lobby/messages"), "1", remote).statusCode());
    }

    @Test
    void aProxyOrSidecarOnThisMachineDoesNotMakeItsCallersAdmins() throws Exception {
        URI cluster = Urls.app(base, "/api/cluster");
        // A sidecar (Envoy connects from 127.0.0.6) is no trusted proxy: its X-Forwarded-For counts for nothing.
        assertEquals(403, rawGetStatus(cluster, "127.0.0.6", Map.of("X-Forwarded-For", "192.0.2.9")), "sidecar");
        // The trusted local proxy naming its client only in a header Roomcast does not believe.
        assertEquals(403, rawGetStatus(cluster, "127.0.0.1", Map.of("X-Real-IP", "192.0.2.9")), "X-Real-IP only");
        assertEquals(403, rawGetStatus(cluster, "127.0.0.1", Map.of("Forwarded", "for=192.0.2.9")), "Forwarded only");
        // The trusted local proxy saying that its client is local.
        assertEquals(200, rawGetStatus(cluster, "127.0.0.1", Map.of("X-Forwarded-For", "127.0.0.1")), "local via proxy");
    }

    @Test
    void aForgedClusterKeyIsRefusedEvenOnThisMachine() throws Exception {
        HttpResponse<String> drain = Http.postJson(Urls.app(base, "/api/admin/drain"), "",
                Map.of("X-Roomcast-Cluster-Key", "forged-forged-forged-forged"));
        assertHttpError(drain, 401, "unauthorized");
        assertEquals("UP", Health.check(Urls.serverRoot(base, "/health/ready")).getString("status"), "not drained");
    }

    /** The status of a GET sent from {@code localAddress}, as a proxy on this machine would send it. */
    private static int rawGetStatus(URI uri, String localAddress, Map<String, String> headers) throws Exception {
        try (RawWebSocket request = RawWebSocket.connect(uri, InetAddress.getByName(localAddress), headers)) {
            return Integer.parseInt(request.handshakeStatus().split(" ")[1]);
        }
    }

    @Test
    void adminSystemMessageReadsItsBodyAndAnswersErrorsLikeThePublishApi() throws Exception {
        URI systemMessage = Urls.app(base, "/api/admin/rooms/lobby/messages");
        assertHttpError(Http.postJson(systemMessage, "1".repeat(5_000)), 400, "bad_json");
        assertHttpError(Http.postJson(systemMessage, "1 2"), 400, "bad_json");
        // The ACL lets anonymous callers read "news" but not publish there: 403, as over the publish API.
        assertHttpError(Http.postJson(Urls.app(base, "/api/admin/rooms/news/messages"), "1"), 403, "forbidden");
        try (WsClient member = WsClient.connect(Urls.websocket(base))) {
            member.join("lobby");
            HttpResponse<String> accepted = Http.postJson(systemMessage, "{\"notice\":\"maintenance\"}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonObject message = member.messages(1).get(0);
            assertEquals("server", message.getString("from"));
            assertEquals("maintenance", message.getJsonObject("data").getString("notice"));
        }
    }

    private static void assertHttpError(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, Json.createReader(new StringReader(answer.body())).readObject().getString("code"),
                answer.body());
    }

    private static void assertError(JsonObject frame, String code) {
        assertEquals("error", frame.getString("type"), frame.toString());
        assertEquals(code, frame.getString("code"), frame.toString());
    }
}
