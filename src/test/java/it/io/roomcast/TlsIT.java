package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.Poll;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.TestCertificates;
import it.io.roomcast.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS as an operator turns it on: a node with liberty/tls.xml ({@code TLS_CONFIG}) and a PKCS12
 * key store whose certificate a private CA signed, its bus on a redis-server reached over
 * {@code rediss://} that trusts the same CA ({@code roomcast.redis.ca-file}). A client connects
 * with {@code wss://}, a message is published over HTTPS and travels through Redis over TLS.
 */
class TlsIT {

    private static TestCertificates certificates;
    private static RedisServer redis;
    private static LibertyNode node;
    private static int httpsPort;
    private static HttpClient https;

    @BeforeAll
    static void startNodeWithTls() throws Exception {
        certificates = TestCertificates.generate();
        int redisTlsPort = FreePorts.next();
        redis = RedisServer.start(certificates.redisServerArguments(redisTlsPort));
        httpsPort = FreePorts.next();
        node = LibertyNode.start("tls", FreePorts.next(), Map.of(
                "TLS_CONFIG", "tls.xml",
                "HTTPS_PORT", Integer.toString(httpsPort),
                "TLS_KEYSTORE", certificates.keyStore().toString(),
                "TLS_KEYSTORE_PASSWORD", TestCertificates.KEY_STORE_PASSWORD,
                "ROOMCAST_NODE_ID", "tls-node",
                "ROOMCAST_REDIS_URL", "rediss://localhost:" + redisTlsPort,
                "ROOMCAST_REDIS_CA_FILE", certificates.caCertificate().toString()));
        https = HttpClient.newBuilder().sslContext(certificates.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        Poll.until(() -> get("/health/ready").statusCode() == 200, "the node is ready over HTTPS, its bus up",
                Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (node != null) {
                node.stop();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    @Test
    void aWssMemberReceivesWhatIsPublishedOverHttpsThroughRedisOverTls() throws Exception {
        try (WsClient member = WsClient.connect(URI.create("wss://localhost:" + httpsPort + "/ws"), certificates.clientContext())) {
            assertEquals("tls-node", member.welcome().getString("node"));
            member.join("secure");
            HttpResponse<String> accepted = https.send(HttpRequest.newBuilder(uri("/api/rooms/secure/messages"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"over TLS\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            JsonObject message = member.messages(1).get(0);
            assertEquals("over TLS", message.getJsonObject("data").getString("text"));
        }
        JsonObject ready = Json.createReader(new StringReader(get("/health/ready").body())).readObject()
                .getJsonArray("checks").getJsonObject(0).getJsonObject("data");
        assertEquals("redis", ready.getString("busKind"));
    }

    @Test
    void theListenerPresentsTheGivenCertificateAndLibertyGeneratesNone() throws Exception {
        // The JVM's own trust store does not know the private CA: the certificate is the one given.
        HttpClient jvmTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThrows(SSLHandshakeException.class, () -> jvmTrust.send(HttpRequest.newBuilder(uri("/health/live")).build(),
                HttpResponse.BodyHandlers.ofString()));
        // CWPKI0803A: Liberty created a self-signed certificate; it must never happen.
        assertFalse(Files.readString(node.logFile()).contains("CWPKI0803A"), "Liberty generated a certificate");
    }

    private static URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return https.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
