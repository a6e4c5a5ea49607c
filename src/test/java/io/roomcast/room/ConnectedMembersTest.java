package io.roomcast.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.room.RoomRegistryTest.RecordingMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConnectedMembersTest {

    private static ConnectedMembers limitedTo(int max) {
        Map<String, String> config = Map.of("roomcast.max-connections", String.valueOf(max));
        return TestConnections.with(new RoomcastConfig(key -> Optional.ofNullable(config.get(key))));
    }

    @Test
    void aConcurrentStormAdmitsExactlyTheLimit() throws Exception {
        ConnectedMembers members = limitedTo(50);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> admissions = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                RecordingMember member = new RecordingMember("m" + i);
                admissions.add(pool.submit(() -> {
                    go.await();
                    return members.admit(member);
                }));
            }
            go.countDown();
            int admitted = 0;
            for (Future<Boolean> admission : admissions) {
                admitted += admission.get() ? 1 : 0;
            }
            assertEquals(50, admitted);
            assertEquals(50, members.count());
            assertTrue(members.atCapacity());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSlotIsGivenBackOnceWhateverTheNumberOfClosePaths() {
        ConnectedMembers members = limitedTo(2);
        RecordingMember first = new RecordingMember("a");
        RecordingMember refused = new RecordingMember("c");
        assertTrue(members.admit(first));
        assertTrue(members.admit(new RecordingMember("b")));
        assertFalse(members.admit(refused));
        members.release(first); // onClose
        members.release(first); // onError after onClose
        members.release(refused); // a refused member closing
        assertEquals(1, members.count());
        assertTrue(members.admit(new RecordingMember("d")));
        assertFalse(members.admit(new RecordingMember("e")));
    }

    @Test
    void afterStopAcceptingNobodyIsAdmittedAndAwaitEmptySeesTheLastRelease() throws Exception {
        ConnectedMembers members = limitedTo(10);
        RecordingMember member = new RecordingMember("a");
        members.admit(member);
        members.stopAccepting();
        assertFalse(members.admit(new RecordingMember("b")));
        assertFalse(members.awaitEmpty(Duration.ofMillis(10)), "one connection is still open");
        Thread closer = new Thread(() -> members.release(member));
        closer.start();
        assertTrue(members.awaitEmpty(Duration.ofSeconds(10)));
        closer.join();
    }
}
