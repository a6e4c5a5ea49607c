package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DeadPeerCheckTest {

    @Test
    void connectionsSpreadEvenlyOverTheSlotsSoPingsDoNotGoOutAllAtOnce() {
        // Sequential ids (Liberty numbers its sessions) and random ones alike.
        assertEven(IntStream.rangeClosed(1, 1600).mapToObj(Integer::toString).toArray(String[]::new));
        assertEven(IntStream.range(0, 1600).mapToObj(i -> UUID.randomUUID().toString()).toArray(String[]::new));
    }

    private static void assertEven(String[] ids) {
        int[] perSlot = new int[DeadPeerCheck.SLOTS];
        for (String id : ids) {
            perSlot[DeadPeerCheck.slotOf(id)]++;
        }
        int expected = ids.length / DeadPeerCheck.SLOTS;
        for (int count : perSlot) {
            assertTrue(count > expected / 2 && count < expected * 2, "slot sizes " + java.util.Arrays.toString(perSlot));
        }
    }
}
