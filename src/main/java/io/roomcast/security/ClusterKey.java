package io.roomcast.security;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import io.roomcast.config.RoomcastConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key nodes present to each other ({@link #HEADER}) for admin actions one node forwards to
 * another, and that {@code scripts/drain} presents on the node's own machine. It proves "another
 * node of this cluster, or someone who can read this node's files", whatever
 * {@code roomcast.auth.mode} is, so a drain works in mode {@code proxy} (no proxy in between) and
 * in mode {@code none} across machines. It comes from {@code roomcast.cluster.secret}, or, when
 * that is unset, the nodes agree on a random one through the bus (Redis: the first node's; the
 * in-memory bus: this node's own), again every {@link #AGREE_EVERY} in case Redis lost it. Each
 * node writes it to {@code roomcast.cluster.secret-file}, readable by its own user only. Checked
 * in constant time; never logged. Thread-safe.
 */
@ApplicationScoped
public class ClusterKey {

    /** The request header that carries the key. */
    public static final String HEADER = "X-Roomcast-Cluster-Key";
    static final long AGREE_EVERY_SECONDS = 5;
    private static final String AGREE_EVERY = AGREE_EVERY_SECONDS + " s";
    private static final Logger LOG = Logger.getLogger(ClusterKey.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RoomcastConfig config;

    @Inject
    NodeDirectory directory;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile String key;
    private ScheduledFuture<?> agreeing;

    void onStart(@Observes Startup startup) {
        Optional<String> configured = config.clusterKey().secret();
        if (configured.isPresent()) {
            adopt(configured.get());
        } else {
            agreeing = scheduler.scheduleWithFixedDelay(this::agree, 0, AGREE_EVERY_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The key to send to another node; empty until the nodes agreed on one. */
    public Optional<String> current() {
        return Optional.ofNullable(key);
    }

    /** Whether {@code presented} is the key; compares digests, so neither content nor length leaks. */
    public boolean matches(String presented) {
        String known = key;
        return known != null && presented != null && MessageDigest.isEqual(digest(presented), digest(known));
    }

    /** Proposes this node's key (or a new one) and takes whatever the directory holds. */
    void agree() {
        try {
            adopt(directory.sharedKey(key != null ? key : newKey()));
        } catch (BusUnavailableException e) {
            LOG.log(Level.FINE, "Cluster key not agreed yet (" + AGREE_EVERY + " until the next try)", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cluster key agreement failed; tried again in " + AGREE_EVERY, e);
        }
    }

    private void adopt(String agreed) {
        if (agreed.equals(key)) {
            return;
        }
        key = agreed;
        config.clusterKey().file().ifPresent(file -> write(file, agreed));
    }

    /** Owner-only from the start (no window where others could read it), then moved into place. */
    private static void write(Path file, String value) {
        try {
            Path dir = Objects.requireNonNullElse(file.toAbsolutePath().getParent(), file.getRoot());
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".roomcast-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, value, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "Could not write the cluster key to " + file + ": scripts/drain needs"
                    + " ROOMCAST_CLUSTER_SECRET then", e);
        }
    }

    private static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    @PreDestroy
    void stop() {
        if (agreeing != null) {
            agreeing.cancel(false);
        }
    }
}
