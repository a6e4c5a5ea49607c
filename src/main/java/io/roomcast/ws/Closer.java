package io.roomcast.ws;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the closes the server starts ({@code Session.close}) on threads of its own, off the
 * thread that asked for them.
 *
 * <p>Why it replaces threads: Liberty's {@code Session.close} may take seconds (it waits for a
 * write in progress and for the pending read to be cancelled), and in Open Liberty 26.0.0.3 it
 * now and then never returns at all: the thread waits, untimed, in the TCP channel's synchronous
 * write of the close frame ({@code NioTCPWriteRequestContextImpl.processSyncWriteRequest} →
 * {@code SimpleSync.simpleWait}) while the client already has its close frame and is gone (FuzzIT
 * with 1,500 closers: 8 of 300 closes under load); an interrupt only makes it wait again. A
 * fixed pool would lose its threads to such closes one after the other and then close nothing
 * more on the node: no slow consumer, no drain, no protocol violator. So a close still running
 * after {@link #SLOW_AFTER_CHECKS} watchdog checks stops counting against the pool and a new
 * thread takes its place; at most {@code maxSlowThreads} such threads are kept at once, and a
 * slow close that returns ends its thread. A close still running after
 * {@link #STUCK_AFTER_CHECKS} checks, longer than any of Liberty's own waits, is reported once
 * as stuck.
 */
final class Closer implements AutoCloseable {

    /** How often {@link #checkForSlowCloses} should run. */
    static final long CHECK_MILLIS = 250;
    /** 1 s: a close to a client that reads returns within milliseconds. */
    static final int SLOW_AFTER_CHECKS = 4;
    /** 15 s: Liberty waits at most 5.5 s for a write in progress, 5.5 s for its own write and 8.5 s for the read. */
    static final int STUCK_AFTER_CHECKS = 60;

    private static final Logger LOG = Logger.getLogger(Closer.class.getName());

    /** Tells a worker to end; queued behind every close already waiting. */
    private static final Runnable STOP = () -> { };

    /** One close in progress; only the watchdog touches {@code checks}. */
    private static final class Job {
        int checks;
    }

    /** A worker's claim when the watchdog has replaced it: it ends once its close returns. */
    private static final Job REPLACED = new Job();

    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Set<Worker> workers = ConcurrentHashMap.newKeySet();
    /** Replaced workers still in their close, with that close's job. */
    private final Map<Worker, Job> slow = new ConcurrentHashMap<>();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private final ThreadFactory threads;
    private final int size;
    private final int maxSlowThreads;
    private final int slowAfterChecks;
    private final int stuckAfterChecks;
    private final Runnable onStuck;
    private boolean closed;

    Closer(ThreadFactory threads, int size, int maxSlowThreads, Runnable onStuck) {
        this(threads, size, maxSlowThreads, SLOW_AFTER_CHECKS, STUCK_AFTER_CHECKS, onStuck);
    }

    /** With other check counts, for tests. */
    Closer(ThreadFactory threads, int size, int maxSlowThreads, int slowAfterChecks, int stuckAfterChecks,
            Runnable onStuck) {
        this.threads = threads;
        this.size = size;
        this.maxSlowThreads = maxSlowThreads;
        this.slowAfterChecks = slowAfterChecks;
        this.stuckAfterChecks = stuckAfterChecks;
        this.onStuck = onStuck;
        replenish();
    }

    /** Queues a close; never blocks. Rejected once the closer is closed: close on the caller's thread then. */
    synchronized void execute(Runnable close) {
        if (closed) {
            throw new RejectedExecutionException("The closer is stopped");
        }
        queue.add(close);
    }

    /**
     * Replaces every worker found in the same close by enough consecutive checks, and reports a
     * replaced close that still has not returned after the stuck limit. Counting checks rather
     * than comparing clocks means a GC pause, which also delays the watchdog, never makes a close
     * look slow. Runs on the watchdog's schedule.
     */
    void checkForSlowCloses() {
        slow.forEach((worker, job) -> {
            if (++job.checks == stuckAfterChecks) {
                onStuck.run();
                LOG.warning("A WebSocket close has not returned for " + stuckAfterChecks * CHECK_MILLIS / 1000
                        + " s (Open Liberty's close frame write); its thread is left to it. Threads in slow closes: "
                        + slow.size() + ", at most " + maxSlowThreads);
            }
        });
        for (Worker worker : workers) {
            Job job = worker.job.get();
            if (job == null || job == REPLACED || ++job.checks < slowAfterChecks) {
                continue;
            }
            slow.put(worker, job); // before the worker can see itself replaced and leave `slow`
            if (worker.job.compareAndSet(job, REPLACED)) {
                workers.remove(worker);
                replenish();
            } else {
                slow.remove(worker); // the close returned meanwhile
            }
        }
    }

    /** Threads alive, those in slow closes included. */
    int liveThreads() {
        return liveThreads.get();
    }

    /** Runs the closes already queued, then ends the workers; takes no more closes. */
    @Override
    public synchronized void close() {
        closed = true;
        workers.forEach(worker -> queue.add(STOP));
    }

    /** Starts workers until the pool has its size again, within the thread limit. */
    private synchronized void replenish() {
        int limit = size + maxSlowThreads;
        while (!closed && workers.size() < size && liveThreads.get() < limit) {
            Worker worker = new Worker();
            Thread thread = threads.newThread(worker);
            thread.setName("roomcast-closer-" + thread.getId());
            workers.add(worker);
            liveThreads.incrementAndGet();
            thread.start();
        }
        if (!closed && workers.size() < size) {
            LOG.warning("Closer at its limit of " + limit + " threads: " + workers.size() + " of " + size
                    + " free until slow closes return");
        }
    }

    private final class Worker implements Runnable {
        final AtomicReference<Job> job = new AtomicReference<>();

        @Override
        public void run() {
            try {
                Runnable close;
                while ((close = queue.take()) != STOP) {
                    Job mine = new Job();
                    job.set(mine);
                    try {
                        close.run();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "A WebSocket close failed", e);
                    }
                    if (!job.compareAndSet(mine, null)) {
                        return; // replaced while in this close: the replacement takes the queue
                    }
                }
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } finally {
                liveThreads.decrementAndGet();
                workers.remove(this);
                slow.remove(this);
                replenish(); // a slow thread may have been replaced only partly, at the limit
            }
        }
    }
}
