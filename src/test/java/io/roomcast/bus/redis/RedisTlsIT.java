package io.roomcast.bus.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.RedisServer;
import it.io.roomcast.support.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@code rediss://} to a real redis-server with TLS whose certificate a private CA signed: the
 * bus's connections trust that CA through {@code roomcast.redis.ca-file}, and only then.
 */
class RedisTlsIT {

    private static TestCertificates certificates;
    private static RedisServer redis;
    private static String url;

    @BeforeAll
    static void startTlsRedis() throws Exception {
        certificates = TestCertificates.generate();
        int tlsPort = FreePorts.next();
        redis = RedisServer.start(certificates.redisServerArguments(tlsPort));
        url = "rediss://localhost:" + tlsPort;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void poolAndSubscriberConnectionsTrustThePrivateCa() {
        RedisConnections connections = new RedisConnections(url, 1, Duration.ofSeconds(2),
                RedisTls.of(Optional.of(certificates.caCertificate())));
        try (Jedis pooled = connections.borrowFor("roomcast:{tls}");
                PubSubConnection subscriber = connections.dedicated(connections.shardOf("roomcast:{tls}"))) {
            assertEquals("PONG", pooled.ping());
            subscriber.connect();
            assertTrue(subscriber.isConnected());
        } finally {
            connections.close();
        }
    }

    @Test
    void withoutTheCaFileTheCertificateIsRefused() {
        RedisConnections connections = new RedisConnections(url, 1, Duration.ofSeconds(2));
        try {
            assertThrows(JedisConnectionException.class, () -> connections.borrowFor("roomcast:{tls}").close());
        } finally {
            connections.close();
        }
    }

    @Test
    void aCaFileThatIsNotPemFailsWithTheKeyInTheMessage() {
        Path notPem = certificates.keyStore();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisTls.of(Optional.of(notPem)));
        assertTrue(e.getMessage().contains("roomcast.redis.ca-file"), e.getMessage());
    }
}
