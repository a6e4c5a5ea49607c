package io.roomcast.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.roomcast.bus.PresenceSignal;
import io.roomcast.bus.local.LocalPresenceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceServiceTest {

    private final PresenceNodes nodes = new PresenceNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void eventsAreSentOnlyForRoomsSomeoneWatchesWhileEveryJoinIsCounted() throws Exception {
        PresenceNodes.SignalBus bus = new PresenceNodes.SignalBus();
        PresenceService node = nodes.start("node-a", new LocalPresenceStore(), 10, bus);
        // Reads queue behind the start's reconcile: once it ran, it cannot write these joins before their turn.
        node.read("quiet").toCompletableFuture().get(5, TimeUnit.SECONDS);
        node.joined(new PresenceNodes.Member("quiet-1"), "quiet"); // nobody watches "quiet"
        PresenceNodes.Member watcher = new PresenceNodes.Member("watcher");
        node.joined(watcher, "busy");
        node.watch(watcher, "busy", true);
        node.joined(new PresenceNodes.Member("busy-1"), "busy");
        List<String> rooms = new ArrayList<>();
        awaitJoin(bus, "busy-1", rooms);
        // One more window: the batch of busy-1's flush, whatever its rooms' order, is all out now.
        node.joined(new PresenceNodes.Member("busy-2"), "busy");
        awaitJoin(bus, "busy-2", rooms);
        assertEquals(List.of("busy"), rooms.stream().distinct().toList(), "no event for the room nobody watches");
        assertEquals(1, node.read("quiet").toCompletableFuture().get(5, TimeUnit.SECONDS).count(), "its join is counted");
    }

    /** Takes published batches, recording their rooms, up to the one with {@code session}'s join. */
    private static void awaitJoin(PresenceNodes.SignalBus bus, String session, List<String> rooms) throws Exception {
        PresenceSignal signal;
        do {
            signal = bus.published.poll(5, TimeUnit.SECONDS);
            assertNotNull(signal, session + "'s join was never sent");
            rooms.add(signal.room());
        } while (signal.frames().stream().noneMatch(frame -> frame.contains("\"" + session + "\"")));
    }
}
