package io.roomcast.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import io.roomcast.config.RoomcastConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterKeyTest {

    private static final String STORED = "the-key-another-node-stored-first";

    @TempDir
    Path dir;

    /** A directory that holds {@code stored} (null: none yet) and records what it was offered. */
    private static final class Directory implements NodeDirectory {
        String stored;
        boolean down;
        final List<String> proposals = new ArrayList<>();

        @Override
        public void announce(String nodeId, String stats, Duration ttl) {
        }

        @Override
        public List<String> announcements() {
            return List.of();
        }

        @Override
        public String sharedKey(String proposal) {
            if (down) {
                throw new BusUnavailableException("Redis is down");
            }
            proposals.add(proposal);
            if (stored == null) {
                stored = proposal;
            }
            return stored;
        }
    }

    private ClusterKey key(Directory directory) {
        ClusterKey key = new ClusterKey();
        key.config = new RoomcastConfig(k -> Optional.ofNullable(Map.of("roomcast.cluster.secret-file",
                dir.resolve("secret").toString()).get(k)));
        key.directory = directory;
        return key;
    }

    @Test
    void takesTheKeyTheDirectoryHoldsAndWritesItForTheOwnerOnly() throws Exception {
        Directory directory = new Directory();
        directory.stored = STORED;
        ClusterKey key = key(directory);
        key.agree();
        assertEquals(Optional.of(STORED), key.current());
        Path file = dir.resolve("secret");
        assertEquals(STORED, Files.readString(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void matchesOnlyTheAgreedKey() {
        Directory directory = new Directory();
        ClusterKey key = key(directory);
        assertFalse(key.matches("anything"), "no key yet: nothing matches");
        directory.stored = STORED;
        key.agree();
        assertTrue(key.matches(STORED));
        assertFalse(key.matches(STORED + "x"));
        assertFalse(key.matches(""));
        assertFalse(key.matches(null));
    }

    @Test
    void proposesItsOwnKeyAgainSoThatALostKeyComesBackUnchanged() {
        Directory directory = new Directory();
        ClusterKey key = key(directory);
        key.agree();
        String first = key.current().orElseThrow();
        assertTrue(first.length() >= 40, "32 random bytes: " + first.length() + " characters");
        directory.stored = null; // Redis lost its data
        key.agree();
        assertEquals(first, directory.stored);
        assertEquals(List.of(first, first), directory.proposals);
    }

    @Test
    void aDirectoryThatCannotBeReachedLeavesTheKeyUnknownUntilTheNextTry() {
        Directory directory = new Directory();
        directory.down = true;
        ClusterKey key = key(directory);
        key.agree();
        assertEquals(Optional.empty(), key.current());
        directory.down = false;
        directory.stored = STORED;
        key.agree();
        assertEquals(Optional.of(STORED), key.current());
    }
}
