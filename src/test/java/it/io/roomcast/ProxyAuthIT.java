package it.io.roomcast;

import static it.io.roomcast.JwtAuthIT.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.RawWebSocket;
import it.io.roomcast.support.RoleProbeResource;
import it.io.roomcast.support.Urls;
import it.io.roomcast.support.WsClient;
import jakarta.websocket.CloseReason;
import java.net.InetAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code roomcast.auth.mode=proxy} behind a trusted proxy at 127.0.0.1: identity headers are
 * believed from there and refused from 127.0.0.2; {@code X-Forwarded-For} from the proxy decides
 * the per-address limit; API roles come from the same headers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProxyAuthIT {

    /** Not in the trusted list: a loopback address of its own. */
    /** Not in the trusted list: a loopback address of its own. */
    static final String UNTRUSTED = "127.0.0.2";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("proxyauth", Map.of(
                "roomcast.auth.mode", "proxy",
                "roomcast.auth.trusted-proxies", "127.0.0.1",
                "roomcast.max-connections-per-address", "2")).addClass(RoleProbeResource.class);
    }

    @ArquillianResource
    URL base;

    private URI ws() {
        return Urls.websocket(base);
    }

    private static Map<String, String> user(String name, String groups, String client) {
        return Map.of("X-Forwarded-User", name, "X-Forwarded-Groups", groups, "X-Forwarded-For", client);
    }

    @Test
    void headersFromTrustedProxyIdentifyTheConnection() throws Exception {
        try (WsClient alice = WsClient.connect(ws(), user("alice", "staff", "10.0.0.1"))) {
            alice.join("proxy-room");
            alice.send("{\"type\":\"publish\",\"room\":\"proxy-room\",\"data\":1,\"from\":\"mallory\"}");
            assertEquals("alice", alice.messages(1).get(0).getString("from"));
        }
    }

    @Test
    void httpPublishIsFromTheAuthenticatedPublisher() throws Exception {
        try (WsClient alice = WsClient.connect(ws(), user("alice", "staff", "10.0.0.1"))) {
            alice.join("proxy-news");
            var accepted = Http.postJson(Urls.app(base, "/api/rooms/proxy-news/messages"), "\"hello\"",
                    user("bob", "roomcast-publisher", "10.0.0.2"));
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertEquals("bob", alice.messages(1).get(0).getString("from"));
        }
    }

    @Test
    void headersFromUntrustedAddressAreClosedWith1008() throws Exception {
        try (RawWebSocket spoof = RawWebSocket.connect(ws(), InetAddress.getByName(UNTRUSTED), user("alice", "roomcast-admin", "10.0.0.1"))) {
            assertTrue(spoof.upgraded(), spoof.handshakeStatus());
            assertEquals(1008, spoof.readUntilClose());
        }
    }

    @Test
    void trustedProxyWithoutUserHeaderIsClosedWith1008() throws Exception {
        try (WsClient anonymous = WsClient.connectRaw(ws(), WsClient.withHeaders(Map.of("X-Forwarded-Groups", "staff")))) {
            CloseReason reason = anonymous.awaitClose();
            assertEquals(1008, reason.getCloseCode().getCode());
        }
    }

    @Test
    @SuppressWarnings("try") // closes one client mid-test to free its slot; WsClient.close is idempotent
    void perAddressLimitCountsTheForwardedClientAndFreesSlotsOnClose() throws Exception {
        URI metrics = Urls.serverRoot(base, "/metrics");
        Http.awaitMetric(metrics, "websocket_connections_total", open -> open == 0);
        try (WsClient first = WsClient.connect(ws(), user("ann", "", "10.1.1.1"));
                WsClient second = WsClient.connect(ws(), user("ann", "", "10.1.1.1"));
                WsClient third = WsClient.connectRaw(ws(), WsClient.withHeaders(user("ann", "", "10.1.1.1")));
                WsClient otherHost = WsClient.connect(ws(), user("ann", "", "10.1.1.2"))) {
            CloseReason refused = third.awaitClose();
            assertEquals(1008, refused.getCloseCode().getCode());
            assertEquals("Too many connections from this address", refused.getReasonPhrase());
            first.close();
            Http.awaitMetric(metrics, "websocket_connections_total", open -> open == 2);
            try (WsClient again = WsClient.connect(ws(), user("ann", "", "10.1.1.1"))) {
                assertEquals("welcome", again.welcome().getString("type"));
            }
        }
    }

    @Test
    void apiRolesComeFromTrustedProxyHeaders() throws Exception {
        URI admin = Urls.app(base, "/api/probe/admin");
        assertJsonError(Http.get(admin), 401, "unauthorized");
        assertJsonError(Http.get(admin, Map.of("X-Forwarded-User", "sam", "X-Forwarded-Groups", "staff")), 403,
                "forbidden");
        assertEquals(200, Http.get(admin, Map.of("X-Forwarded-User", "root",
                "X-Forwarded-Groups", "staff, roomcast-admin")).statusCode());
        try (RawWebSocket spoof = RawWebSocket.connect(admin, InetAddress.getByName(UNTRUSTED),
                Map.of("X-Forwarded-User", "root", "X-Forwarded-Groups", "roomcast-admin"))) {
            assertTrue(spoof.handshakeStatus().contains(" 401 "), spoof.handshakeStatus());
        }
    }

    @Test
    void adminSystemMessageNeedsTheAdminGroupAndCarriesTheAdminsName() throws Exception {
        try (WsClient member = WsClient.connect(ws(), user("bob", "staff", "10.0.0.3"))) {
            member.join("ops-news");
            URI systemMessage = Urls.app(base, "/api/admin/rooms/ops-news/messages");
            assertEquals(403, Http.postJson(systemMessage, "\"hi\"", user("bob", "staff", "10.0.0.3")).statusCode());
            assertEquals(202, Http.postJson(systemMessage, "\"maintenance\"",
                    user("alice", "roomcast-admin", "10.0.0.4")).statusCode());
            // The operator's identity reaches the admin resource: it is the message's sender.
            assertEquals("alice", member.messages(1).get(0).getString("from"));
        }
    }
}
