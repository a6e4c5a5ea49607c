package io.roomcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roomcast.config.RoomcastConfig;
import io.roomcast.protocol.CloseCode;
import io.roomcast.room.Caller;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomMember;
import io.roomcast.room.TestConnections;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drain on plain members and a real scheduler: what clients and the admin API see. */
class DrainTest {

    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stopScheduler() {
        threads.shutdownNow();
    }

    @Test
    void readinessTurnsAndAdmissionsStopAtOnce() {
        Drain drain = drain(1);
        assertFalse(drain.isDraining());
        assertTrue(drain.connections.admit(new Member("before", true)));

        drain.start();

        assertTrue(drain.isDraining());
        assertFalse(drain.connections.isAccepting());
        assertFalse(drain.connections.admit(new Member("after", true)), "a new client is refused while draining");
    }

    @Test
    void everyClientIsClosedWith1001AfterItsQueueAndTheReportCountsThem() throws Exception {
        Drain drain = drain(1);
        List<Member> members = admit(drain, 5, true);

        DrainReport report = drain.start().get(5, TimeUnit.SECONDS);

        assertEquals(new DrainReport(5, 0, report.millis()), report);
        for (Member member : members) {
            assertEquals(CloseCode.GOING_AWAY, member.flushedWith, member.id + " closed after its queue");
            assertNull(member.disconnectedWith, member.id + " was not cut off");
        }
        assertEquals(0, drain.connections.count());
    }

    @Test
    void aClientThatStopsReadingIsCutOffWhenTheDrainTimeIsUp() throws Exception {
        Drain drain = drain(1);
        Member reading = admit(drain, 1, true).get(0);
        Member stuck = admit(drain, 1, false).get(0);

        DrainReport report = drain.start().get(5, TimeUnit.SECONDS);

        assertEquals(2, report.connections());
        assertEquals(1, report.forced());
        assertTrue(report.millis() >= 1_000, "the stuck client had the whole drain time: " + report);
        assertEquals(CloseCode.GOING_AWAY, stuck.disconnectedWith);
        assertNull(reading.disconnectedWith);
    }

    @Test
    void closesAreSpreadOverHalfTheDrainTimeNotSentAtOnce() throws Exception {
        Drain drain = drain(2);
        List<Member> members = admit(drain, 20, true);
        long started = System.nanoTime();

        drain.start().get(5, TimeUnit.SECONDS);

        long lastClose = members.stream().mapToLong(m -> m.closedAtNanos).max().orElseThrow();
        // A 1 s window at 100 ms per batch: the last batch starts 900 ms in, never earlier.
        assertTrue(lastClose - started >= Duration.ofMillis(900).toNanos(),
                "last close after " + Duration.ofNanos(lastClose - started).toMillis() + " ms");
    }

    @Test
    void everyCallerGetsTheOutcomeOfTheOneDrain() throws Exception {
        Drain drain = drain(0);
        admit(drain, 2, true);

        var first = drain.start();
        var second = drain.start();

        assertSame(first, second);
        assertEquals(2, first.get(5, TimeUnit.SECONDS).connections());
    }

    @Test
    void aNodeWithoutClientsFinishesAtOnce() throws Exception {
        Drain drain = drain(30);

        DrainReport report = drain.start().get(5, TimeUnit.SECONDS);

        assertEquals(0, report.connections());
        assertEquals(0, report.forced());
    }

    private Drain drain(int drainSeconds) {
        Map<String, String> settings = Map.of("roomcast.shutdown.drain-seconds", String.valueOf(drainSeconds));
        RoomcastConfig config = new RoomcastConfig(key -> Optional.ofNullable(settings.get(key)));
        Drain drain = new Drain();
        drain.config = config;
        drain.connections = TestConnections.with(config);
        drain.scheduler = managed(threads);
        return drain;
    }

    private static List<Member> admit(Drain drain, int count, boolean flushes) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Member member = new Member((flushes ? "reading-" : "stuck-") + i, flushes);
            member.connections = drain.connections;
            assertTrue(drain.connections.admit(member));
            members.add(member);
        }
        return members;
    }

    /** The container's scheduler interface over a plain one (only the ScheduledExecutorService part is used). */
    private static ManagedScheduledExecutorService managed(ScheduledExecutorService plain) {
        return (ManagedScheduledExecutorService) Proxy.newProxyInstance(DrainTest.class.getClassLoader(),
                new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                    try {
                        return ScheduledExecutorService.class.getMethod(method.getName(), method.getParameterTypes())
                                .invoke(plain, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A client that either flushes and closes when asked, or never reads again. */
    private static final class Member implements RoomMember {
        final String id;
        final boolean flushes;
        ConnectedMembers connections;
        volatile CloseCode flushedWith;
        volatile CloseCode disconnectedWith;
        volatile long closedAtNanos;

        Member(String id, boolean flushes) {
            this.id = id;
            this.flushes = flushes;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Caller caller() {
            return Caller.anonymous(id);
        }

        @Override
        public void deliver(String frame, long acceptedAtMicros) {
        }

        @Override
        public boolean isOpen() {
            return flushedWith == null && disconnectedWith == null;
        }

        @Override
        public void closeWhenFlushed(CloseCode code) {
            if (flushes && flushedWith == null) {
                flushedWith = code;
                closed();
            }
        }

        @Override
        public void disconnect(CloseCode code) {
            disconnectedWith = code;
            closed();
        }

        private void closed() {
            closedAtNanos = System.nanoTime();
            connections.release(this);
        }
    }
}
