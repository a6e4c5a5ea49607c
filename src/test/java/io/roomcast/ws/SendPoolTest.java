package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendPoolTest {

    private static final long STALL_MS = 1_000;

    private final RecordingThreads threads = new RecordingThreads();
    /** Every thread the pool started, so that a test can wait for one to end. */
    private final List<Thread> started = threads.started();
    private final OutboxTest.RecordedFailures failures = new OutboxTest.RecordedFailures();
    private SendPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    private SendPool pool(int senders, int maxStalled) {
        pool = new SendPool(threads, new SendSettings(senders, STALL_MS, maxStalled));
        return pool;
    }

    /** A pool whose ready queue wakes senders by {@code backlogPerAwakeSender} and {@code maxWaitMillis}. */
    private SendPool pool(int senders, int backlogPerAwakeSender, long maxWaitMillis) {
        pool = new SendPool(threads, new SendSettings(senders, STALL_MS, 4),
                new ReadyQueue(backlogPerAwakeSender, TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)));
        return pool;
    }

    /** Returns once every sender the pool started is parked, waiting for outboxes. */
    private void awaitSendersParked(int senders) {
        while (started.size() < senders || started.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) {
            Thread.onSpinWait(); // a thread state has no event to wait on; parking takes microseconds
        }
    }

    /** A pool of parked senders whose ready queue wakes one per 16 outboxes waiting, and never for waiting alone. */
    private void parkedPool(int senders) {
        pool(senders, 16, TimeUnit.HOURS.toMillis(1));
        awaitSendersParked(senders);
    }

    /**
     * One frame offered to each of many new outboxes, whose writes record the writing thread and
     * then wait for {@link #writeAll}: each sender woken holds one outbox until then.
     */
    private final class Burst {
        final Set<Thread> writers = ConcurrentHashMap.newKeySet();
        /** Counted down by each sender's first write. */
        final CountDownLatch newWriters;
        final CountDownLatch mayWrite = new CountDownLatch(1);
        final CountDownLatch written;

        Burst(int clients, int writersToCount) {
            newWriters = new CountDownLatch(writersToCount);
            written = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                outbox(frame -> {
                    if (writers.add(Thread.currentThread())) {
                        newWriters.countDown();
                    }
                    OutboxTest.awaitQuietly(mayWrite);
                    written.countDown();
                }).offer("hello");
            }
        }

        void writeAll() throws InterruptedException {
            mayWrite.countDown();
            assertTrue(written.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPublishToTenClientsIsWrittenByOneSenderNotByAllOfThem() throws Exception {
        parkedPool(4);
        Burst burst = new Burst(10, 1);
        burst.writeAll();
        assertEquals(1, burst.writers.size(), "one sender woken for a burst it keeps up with");
    }

    @Test
    void everyFrameOfferedWhileSendersParkIsWrittenWithoutTheWatchdog() throws Exception {
        pool(4, 0);
        // One frame at a time, each racing the sender that wrote the previous one back to its park.
        for (int i = 0; i < 20_000; i++) {
            CountDownLatch written = new CountDownLatch(1);
            outbox(frame -> written.countDown()).offer("frame " + i);
            assertTrue(written.await(10, TimeUnit.SECONDS), "frame " + i + " written");
        }
    }

    @Test
    void aBacklogLongerThanOneSenderKeepsUpWithWakesMoreSenders() throws Exception {
        parkedPool(4);
        Burst burst = new Burst(100, 4);
        assertTrue(burst.newWriters.await(10, TimeUnit.SECONDS),
                "a sender woken per 16 outboxes waiting, up to the pool's size; writing: " + burst.writers.size());
        burst.writeAll();
    }

    @Test
    void outboxesWaitingBehindABlockedWriteGetAnotherSenderWithinTheWaitLimit() throws Exception {
        long maxWaitMillis = 50;
        pool(2, 16, maxWaitMillis);
        awaitSendersParked(2);
        CountDownLatch blockedWriting = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        outbox(frame -> {
            blockedWriting.countDown();
            OutboxTest.awaitQuietly(mayFinish);
        }).offer("to a client that reads slowly");
        assertTrue(blockedWriting.await(10, TimeUnit.SECONDS));
        long blockedSince = System.nanoTime();

        CountDownLatch othersWritten = new CountDownLatch(2);
        outbox(frame -> othersWritten.countDown()).offer("waits behind the blocked write");
        while (System.nanoTime() - blockedSince <= TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)) {
            Thread.onSpinWait(); // the rule under test is a time limit
        }
        outbox(frame -> othersWritten.countDown()).offer("finds the awake sender stuck");
        assertTrue(othersWritten.await(10, TimeUnit.SECONDS), "written while the first write is still blocked");
        assertEquals(List.of(), failures.reported, "a slow write is no stall");
        mayFinish.countDown();
    }

    /**
     * Like Liberty's synchronous write to a client that reads nothing: blocks with no timeout,
     * retries when interrupted, and fails once the server has closed the socket.
     */
    private static final class StalledSocket implements Outbox.Socket {
        final CountDownLatch blocked = new CountDownLatch(1);
        volatile boolean closedByServer;
        volatile Thread writer;

        @Override
        public void write(String frame) throws java.io.IOException {
            writer = Thread.currentThread();
            blocked.countDown();
            while (!closedByServer) {
                java.util.concurrent.locks.LockSupport.park(this);
                Thread.interrupted(); // Liberty's SimpleSync swallows the interrupt and retries
            }
            throw new java.io.IOException("socket closed");
        }

        /** Returns once the write is parked, as the watchdog must see it to count a stall. */
        void awaitParked() throws InterruptedException {
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            while (writer.getState() != Thread.State.WAITING) {
                Thread.onSpinWait(); // a thread state has no event to wait on; parking takes microseconds
            }
        }
    }

    /** As many watchdog checks as the stall limit spans, less one. */
    private void checkStallLimitMinusOne() {
        for (long i = 1; i < STALL_MS / pool.watchdogPeriodMillis(); i++) {
            pool.checkForStalls();
        }
    }

    /** Enough watchdog checks to span the stall limit. */
    private void stallFor() {
        checkStallLimitMinusOne();
        pool.checkForStalls();
    }

    private Outbox outbox(Outbox.Socket socket) {
        return new Outbox(100_000, socket, pool::schedule, failures);
    }

    @Test
    void aBusyClientDoesNotMakeOthersWaitForAllItsFrames() throws Exception {
        pool(1, 0);
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstWrite = new CountDownLatch(1);
        CountDownLatch mayGoOn = new CountDownLatch(1);
        CountDownLatch quietOneWritten = new CountDownLatch(1);
        Outbox busy = outbox(frame -> {
            firstWrite.countDown();
            OutboxTest.awaitQuietly(mayGoOn);
            log.add(frame);
        });
        Outbox quiet = outbox(frame -> {
            log.add(frame);
            quietOneWritten.countDown();
        });
        for (int i = 0; i < 1_000; i++) {
            busy.offer("busy-" + i);
        }
        assertTrue(firstWrite.await(10, TimeUnit.SECONDS));
        quiet.offer("quiet");
        mayGoOn.countDown();
        assertTrue(quietOneWritten.await(10, TimeUnit.SECONDS));
        assertTrue(log.indexOf("quiet") <= SendPool.FRAMES_PER_TURN,
                "the quiet client is written after one turn of the busy one, at " + log.indexOf("quiet"));
    }

    @Test
    void eachClientHasOneWriteInFlightAndGetsItsFramesInOrder() throws Exception {
        pool(4, 0);
        int clients = 20;
        int frames = 2_000;
        Map<Integer, List<Integer>> received = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(clients);
        List<Outbox> outboxes = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
            received.put(c, mine);
            AtomicInteger inFlight = new AtomicInteger();
            outboxes.add(outbox(frame -> {
                if (inFlight.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                mine.add(Integer.parseInt(frame));
                inFlight.decrementAndGet();
                if (mine.size() == frames) {
                    done.countDown();
                }
            }));
        }
        // Two delivering threads, like a bus listener and a request thread, each a share of the frames.
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int parity = p;
            Thread producer = new Thread(() -> {
                OutboxTest.awaitQuietly(start);
                for (int i = parity; i < frames; i += 2) {
                    for (Outbox outbox : outboxes) {
                        synchronized (outbox) { // the two producers agree on one order per client
                            outbox.offer(String.valueOf(i));
                        }
                    }
                }
            });
            producer.start();
            producers.add(producer);
        }
        start.countDown();
        assertTrue(done.await(30, TimeUnit.SECONDS), "every frame written");
        assertEquals(0, overlaps.get(), "never two writes at once to one client");
        for (List<Integer> mine : received.values()) {
            assertEquals(frames, mine.size());
        }
        assertEquals(List.of(), failures.reported);
    }

    @Test
    void aStalledClientIsReportedAndItsSenderReplacedUntilTheWriteEnds() throws Exception {
        pool(1, 4);
        StalledSocket socket = new StalledSocket();
        outbox(socket).offer("never read");
        socket.awaitParked();
        Thread blockedSender = started.get(0);

        checkStallLimitMinusOne();
        assertEquals(List.of(), failures.reported, "not yet blocked for the whole limit");
        pool.checkForStalls();
        assertEquals(List.of("stalled"), failures.reported);
        assertEquals(2, pool.liveThreads(), "a replacement runs beside the blocked sender");

        CountDownLatch othersWritten = new CountDownLatch(1);
        outbox(frame -> othersWritten.countDown()).offer("hello");
        assertTrue(othersWritten.await(10, TimeUnit.SECONDS), "others are written while one write is blocked");

        pool.checkForStalls(); // interrupted while the socket is still open: blocks again
        assertTrue(blockedSender.isAlive());
        socket.closedByServer = true;
        pool.checkForStalls();
        blockedSender.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(blockedSender.isAlive(), "the blocked sender ends once its write fails");
        assertEquals(1, pool.liveThreads(), "the pool is back to its size");
        assertEquals(List.of("stalled"), failures.reported, "the late write error is not reported again");
    }

    @Test
    void aWriteThatIsSlowButRunningIsNoStall() throws Exception {
        pool(1, 4);
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        outbox(frame -> {
            writing.countDown();
            while (mayFinish.getCount() > 0) {
                Thread.onSpinWait(); // busy, as a sender descheduled by a starved CPU looks: runnable
            }
            written.countDown();
        }).offer("slow");
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            stallFor();
        }
        mayFinish.countDown();
        assertTrue(written.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(), failures.reported);
        assertEquals(1, pool.liveThreads());
    }

    @Test
    void blockedSendersBeyondTheLimitAreReplacedOnlyOnceTheirWritesEnd() throws Exception {
        pool(1, 1);
        List<StalledSocket> sockets = List.of(new StalledSocket(), new StalledSocket());
        for (StalledSocket socket : sockets) {
            outbox(socket).offer("never read");
            socket.awaitParked();
            stallFor();
        }
        assertEquals(List.of("stalled", "stalled"), failures.reported);
        assertEquals(2, pool.liveThreads(), "one sender plus at most one blocked one");
        assertEquals(2, started.size(), "no third thread while both are blocked");

        CountDownLatch written = new CountDownLatch(1);
        outbox(frame -> written.countDown()).offer("waits for a free sender");
        List<Thread> blockedSenders = List.copyOf(started);
        sockets.forEach(socket -> socket.closedByServer = true);
        pool.checkForStalls();
        for (Thread sender : blockedSenders) {
            sender.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(sender.isAlive());
        }
        assertTrue(written.await(10, TimeUnit.SECONDS), "a new sender took over");
        assertEquals(1, pool.liveThreads(), "back to the pool's size");
    }
}
