package io.roomcast.bus.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.bus.PresenceStore;
import io.roomcast.bus.PresenceStoreContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalPresenceStoreTest extends PresenceStoreContract {

    @Override
    protected PresenceStore store() {
        return new LocalPresenceStore();
    }

    @Test
    void oneNodeIsAlwaysAliveAndNeverSweepsAnyone() {
        PresenceStore store = store();
        assertTrue(store.markAlive("node-a", Duration.ofMillis(1)));
        assertEquals(List.of(), store.deadNodes("node-b", Duration.ZERO));
    }
}
