package io.roomcast.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The closer's promise: a close that never returns (as Liberty's {@code Session.close} now and
 * then does) does not hold up the closes after it, within a bound on the threads it keeps.
 * The watchdog's checks are run by the tests, one call per check.
 */
class CloserTest {

    private static final int SLOW_AFTER_CHECKS = 2;
    private static final int STUCK_AFTER_CHECKS = 5;

    private final RecordingThreads threads = new RecordingThreads();
    /** Every thread the closer started, so that a test can wait for one to end. */
    private final List<Thread> started = threads.started();
    private final AtomicInteger stuckReports = new AtomicInteger();
    /** Released at the end of every test, so that no close is left blocked. */
    private final CountDownLatch endOfTest = new CountDownLatch(1);
    private Closer closer;

    @AfterEach
    void stop() {
        endOfTest.countDown();
        if (closer != null) {
            closer.close();
        }
    }

    private Closer closer(int size, int maxSlowThreads) {
        closer = new Closer(threads, size, maxSlowThreads, SLOW_AFTER_CHECKS, STUCK_AFTER_CHECKS,
                stuckReports::incrementAndGet);
        return closer;
    }

    /** A close that blocks until {@link #release} (or the end of the test). */
    private final class BlockingClose implements Runnable {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch mayReturn = new CountDownLatch(1);
        volatile Thread thread;

        @Override
        public void run() {
            thread = Thread.currentThread();
            running.countDown();
            OutboxTest.awaitQuietly(mayReturn);
            OutboxTest.awaitQuietly(endOfTest);
        }

        BlockingClose start() throws InterruptedException {
            closer.execute(this);
            assertTrue(running.await(10, TimeUnit.SECONDS), "the close started");
            return this;
        }

        /** Lets the close return and waits for its thread to end (a replaced thread ends then). */
        void returnAndAwaitThreadEnd() throws InterruptedException {
            mayReturn.countDown();
            endOfTest.countDown();
            thread.join(10_000);
            assertFalse(thread.isAlive(), "the thread of the returned close ended");
        }
    }

    /** Queues a close that only counts down the returned latch when it runs. */
    private CountDownLatch queueSignallingClose() {
        CountDownLatch ran = new CountDownLatch(1);
        closer.execute(ran::countDown);
        return ran;
    }

    private void checks(int count) {
        for (int i = 0; i < count; i++) {
            closer.checkForSlowCloses();
        }
    }

    @Test
    void aCloseThatNeverReturnsDoesNotHoldUpTheClosesAfterIt() throws Exception {
        closer(1, 4);
        BlockingClose stuck = new BlockingClose().start();
        CountDownLatch next = queueSignallingClose();
        assertEquals(1, next.getCount(), "the only thread is in the stuck close");

        checks(SLOW_AFTER_CHECKS);

        assertTrue(next.await(10, TimeUnit.SECONDS), "a new thread took the next close");
        assertEquals(2, closer.liveThreads());
        stuck.returnAndAwaitThreadEnd();
        assertEquals(1, closer.liveThreads(), "the slow close's thread ended once it returned");
    }

    @Test
    void aCloseThatReturnsBeforeTheSlowLimitKeepsItsThread() throws Exception {
        closer(1, 4);
        BlockingClose slowish = new BlockingClose().start();
        checks(SLOW_AFTER_CHECKS - 1);
        slowish.mayReturn.countDown();
        endOfTest.countDown();
        CountDownLatch next = queueSignallingClose();
        assertTrue(next.await(10, TimeUnit.SECONDS));
        while (started.get(0).getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // back to waiting for closes: a thread state has no event to wait on
        }
        checks(SLOW_AFTER_CHECKS);
        assertEquals(1, closer.liveThreads(), "no replacement for a close that returned in time");
        assertEquals(1, started.size());
    }

    @Test
    void slowClosesBeyondTheLimitWaitUntilOneReturns() throws Exception {
        closer(1, 1);
        BlockingClose first = new BlockingClose().start();
        checks(SLOW_AFTER_CHECKS); // replaced: one slow thread, the limit
        BlockingClose second = new BlockingClose().start();
        checks(SLOW_AFTER_CHECKS); // slow too, but no thread left to start
        CountDownLatch third = queueSignallingClose();
        assertEquals(2, closer.liveThreads(), "at most the pool's size plus one slow thread");
        assertEquals(1, third.getCount(), "both threads are in slow closes");

        first.returnAndAwaitThreadEnd();

        assertTrue(third.await(10, TimeUnit.SECONDS), "a thread freed by a returned close took the next one");
        second.returnAndAwaitThreadEnd();
    }

    @Test
    void aCloseStillRunningAtTheStuckLimitIsReportedOnce() throws Exception {
        closer(1, 4);
        BlockingClose stuck = new BlockingClose().start();
        checks(STUCK_AFTER_CHECKS - 1);
        assertEquals(0, stuckReports.get(), "slow, not yet stuck");
        checks(1);
        assertEquals(1, stuckReports.get());
        checks(10);
        assertEquals(1, stuckReports.get(), "reported once");
        stuck.returnAndAwaitThreadEnd();
    }

    @Test
    void aCloseThatThrowsDoesNotCostTheClosesAfterIt() throws Exception {
        closer(1, 4);
        closer.execute(() -> {
            throw new IllegalStateException("the session is gone already");
        });
        CountDownLatch next = queueSignallingClose();
        assertTrue(next.await(10, TimeUnit.SECONDS));
        assertEquals(1, closer.liveThreads());
    }

    @Test
    void closesQueuedBeforeStoppingStillRunAndLaterOnesAreRefused() throws Exception {
        closer(1, 4);
        BlockingClose running = new BlockingClose().start();
        CountDownLatch queued = queueSignallingClose();

        closer.close();

        assertThrows(RejectedExecutionException.class, () -> closer.execute(() -> { }));
        running.mayReturn.countDown();
        endOfTest.countDown();
        assertTrue(queued.await(10, TimeUnit.SECONDS), "the close queued before the stop ran");
        running.thread.join(10_000);
        assertEquals(0, closer.liveThreads(), "the worker ended after the queued closes");
    }
}
