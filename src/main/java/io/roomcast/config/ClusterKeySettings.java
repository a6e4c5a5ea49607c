package io.roomcast.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the cluster key comes from and where the node leaves it for {@code scripts/drain}
 * ({@code roomcast.cluster.*}; docs/security.md, "Node-to-node actions and the local drain").
 *
 * @param secret the configured key; empty: the nodes agree on one through the bus
 * @param file   where the node writes the key for local tools; empty: nowhere
 */
public record ClusterKeySettings(Optional<String> secret, Optional<Path> file) {

    static final int MIN_SECRET_LENGTH = 16;
    private static final String FILE_NAME = "roomcast-cluster-secret";

    static ClusterKeySettings read(RoomcastConfig.ConfigReader read) {
        Optional<String> secret = read.string("roomcast.cluster.secret");
        if (secret.isPresent() && secret.get().length() < MIN_SECRET_LENGTH) {
            // Never echo the value: it is a credential.
            throw new IllegalArgumentException("roomcast.cluster.secret must be at least " + MIN_SECRET_LENGTH
                    + " characters long");
        }
        // Unset: Liberty's server output directory (a system property Liberty sets); empty: no file.
        Optional<Path> file = read.raw("roomcast.cluster.secret-file").isPresent()
                ? read.string("roomcast.cluster.secret-file").map(Path::of)
                : read.string("server.output.dir").map(dir -> Path.of(dir, FILE_NAME));
        return new ClusterKeySettings(secret, file);
    }

    /** Names the file but never shows the key. */
    @Override
    public String toString() {
        return "ClusterKeySettings[secret=" + (secret.isPresent() ? "(set)" : "(agreed)") + ", file=" + file + "]";
    }
}
