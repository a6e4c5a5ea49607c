package it.io.roomcast.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private CA and one server certificate it signed, for {@code localhost} and {@code 127.0.0.1},
 * made with {@code openssl} in a temporary directory: the PEM files redis-server takes, and the
 * PKCS12 key store Liberty takes. Clients trust the CA alone ({@link #clientContext()}).
 */
public final class TestCertificates {

    /** The password of {@link #keyStore()}. */
    public static final String KEY_STORE_PASSWORD = "roomcast-test";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Generates the CA, the server key and certificate, and the PKCS12 key store (a second or two). */
    public static TestCertificates generate() throws Exception {
        Path dir = Files.createTempDirectory("roomcast-tls");
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=Roomcast test CA");
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "san.cnf");
        openssl(dir, "pkcs12", "-export", "-in", "server.crt", "-inkey", "server.key", "-certfile", "ca.crt",
                "-name", "roomcast", "-out", "server.p12", "-passout", "pass:" + KEY_STORE_PASSWORD);
        return new TestCertificates(dir);
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + args[0] + " failed; see " + dir.resolve("openssl.log"));
        }
    }

    /** The CA certificate (PEM): what {@code roomcast.redis.ca-file} names. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return dir.resolve("server.crt");
    }

    public Path serverKey() {
        return dir.resolve("server.key");
    }

    /** The server's key and chain as PKCS12 ({@link #KEY_STORE_PASSWORD}): what Liberty's {@code tls.keystore} names. */
    public Path keyStore() {
        return dir.resolve("server.p12");
    }

    /** TLS that trusts this CA and nothing else. */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(caCertificate())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(pem);
            trusted.setCertificateEntry("ca", ca);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** redis-server arguments for a TLS port beside its plain one (the tests' PING), no client certificates. */
    public List<String> redisServerArguments(int tlsPort) {
        return List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", serverCertificate().toString(),
                "--tls-key-file", serverKey().toString(), "--tls-ca-cert-file", caCertificate().toString(),
                "--tls-auth-clients", "no");
    }
}
