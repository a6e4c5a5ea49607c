package io.roomcast.bus.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.roomcast.bus.BusListener;
import io.roomcast.bus.MessageBus;
import io.roomcast.bus.MessageBusContract;
import io.roomcast.bus.Position;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-memory bus meets the bus contract (it is the reference behaviour). */
class LocalMessageBusTest extends MessageBusContract {

    private static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(600);
    private final AtomicLong clock = new AtomicLong(System.nanoTime());

    @Override
    protected MessageBus startBus(String nodeId, BusListener listener, int historySize) {
        LocalMessageBus bus = new LocalMessageBus(historySize, KEYS_PER_ROOM, TTL_NANOS, clock::get);
        bus.start(listener);
        return bus;
    }

    @Override
    protected MessageBus otherNode(MessageBus bus) {
        return bus; // one node: every publisher publishes through the same bus
    }

    @Override
    protected void loseHistory(String room) {
        clock.addAndGet(TTL_NANOS + 1); // the in-memory history is lost by expiring
    }

    @Test
    void historyExpiresTtlAfterTheLastPublishAndIdleRoomsAreSwept() throws Exception {
        LocalMessageBus bus = (LocalMessageBus) bus("node-a", e -> { });
        Position first = await(bus.publish(envelope("node-a", "idle", "p", 1)));
        clock.addAndGet(TTL_NANOS - 1);
        assertEquals(new Position(2, first.epoch()), await(bus.publish(envelope("node-a", "idle", "p", 2))),
                "a publish within the ttl keeps the history");
        clock.addAndGet(TTL_NANOS + 1);
        await(bus.publish(envelope("node-a", "other", "p", 1))); // any later call sweeps
        assertEquals(1, bus.retainedRooms(), "the idle room's history was freed");
        Position afterExpiry = await(bus.publish(envelope("node-a", "idle", "p", 3)));
        assertEquals(1, afterExpiry.offset());
        assertNotEquals(first.epoch(), afterExpiry.epoch());
    }
}
