package io.roomcast.bus.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * Whose certificates a TLS Redis ({@code rediss://}, {@code rediss-cluster://}) may present: by
 * default those the JVM trusts; with {@code roomcast.redis.ca-file}, only those that chain to the
 * CA certificates in that PEM file (a private CA). Read once, at start-up; a file that cannot be
 * read fails the start with the key's name. Host names are not checked (Jedis's behaviour, as
 * before): the CA decides.
 */
final class RedisTls {

    /** The JVM's trust store, as Jedis uses by default. */
    static final RedisTls JVM_TRUST = new RedisTls(Optional.empty());

    private final Optional<SSLSocketFactory> socketFactory;

    private RedisTls(Optional<SSLSocketFactory> socketFactory) {
        this.socketFactory = socketFactory;
    }

    /** {@link #JVM_TRUST} without a CA file, else trust in that file's certificates alone. */
    static RedisTls of(Optional<Path> caFile) {
        return caFile.map(RedisTls::trusting).orElse(JVM_TRUST);
    }

    private static RedisTls trusting(Path caFile) {
        try (InputStream pem = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(pem);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("roomcast.redis.ca-file " + caFile + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new RedisTls(Optional.of(context.getSocketFactory()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("roomcast.redis.ca-file " + caFile + " cannot be read as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    /** Adds this trust to a connection configuration (used only when it has {@code ssl(true)}). */
    DefaultJedisClientConfig.Builder applyTo(DefaultJedisClientConfig.Builder config) {
        socketFactory.ifPresent(config::sslSocketFactory);
        return config;
    }
}
