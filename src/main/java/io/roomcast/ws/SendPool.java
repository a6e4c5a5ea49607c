package io.roomcast.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A few threads that write every connection's frames synchronously.
 *
 * <p>Why: Liberty's asynchronous send queues each frame to its write selector thread and
 * dispatches the completion to another thread (epoll registrations, wake-ups and a hand-off
 * per frame); a synchronous write is one {@code writev} on the calling thread, about half the
 * CPU per delivery ({@code scripts/bench fanout}, docs/BENCHMARKS.md).
 *
 * <p>Outboxes with frames wait on one {@link ReadyQueue}; a sender takes one, writes up to
 * {@link #FRAMES_PER_TURN} frames and puts it back if more are left, so a busy client cannot
 * starve the others. Only an outbox's first frame of a burst enters the queue, and the queue
 * wakes as few senders as keep up: a publish to 20 members wakes one sender, not 20 or all.
 *
 * <p>A synchronous write to a client that stopped reading blocks once its socket buffer is
 * full, with no timeout. A watchdog therefore checks every {@code stallLimit / 4} (at most
 * 100 ms) for a sender blocked in one turn for the whole stall limit: it fails that outbox (the
 * connection is closed as a slow consumer) and starts a replacement sender, so the pool keeps
 * its size. Open Liberty 26 closes such a connection's socket about 30 s later (its wait for
 * the client's close frame) but never wakes the write blocked on it (measured: blocked for
 * minutes, also after the client had gone). Its wait returns on an interrupt and the TCP
 * channel retries the write, so the watchdog interrupts every abandoned sender on each check;
 * once the connection is being closed the retry fails and the thread ends (StalledClientsIT:
 * within 0.3 s of the stall). At
 * most {@code maxStalledThreads} blocked threads are kept: beyond that no replacement is
 * started until one of them ends, so the thread count stays bounded even if closes are slow.
 */
final class SendPool implements AutoCloseable {

    /** Frames one client gets written per turn before the next client's turn. */
    static final int FRAMES_PER_TURN = 16;

    private static final Logger LOG = Logger.getLogger(SendPool.class.getName());

    /** One sender's claim on one outbox; the watchdog may take it away. */
    private static final class Turn {
        final Outbox outbox;
        /** Consecutive watchdog checks that found the sender blocked; only the watchdog touches it. */
        int blockedChecks;

        Turn(Outbox outbox) {
            this.outbox = outbox;
        }
    }

    private static final Turn ABANDONED = new Turn(null);

    private final ReadyQueue ready;
    private final Set<Sender> senders = ConcurrentHashMap.newKeySet();
    private final Set<Sender> abandoned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger liveThreads = new AtomicInteger();
    private final ThreadFactory threads;
    private final SendSettings settings;
    private volatile boolean closed;

    SendPool(ThreadFactory threads, SendSettings settings) {
        this(threads, settings, new ReadyQueue());
    }

    /** With a ready queue of other wake-up limits, for tests. */
    SendPool(ThreadFactory threads, SendSettings settings, ReadyQueue ready) {
        this.ready = ready;
        this.threads = threads;
        this.settings = settings;
        replenish();
    }

    /** Puts an outbox with frames on the ready queue; never blocks. */
    void schedule(Outbox outbox) {
        ready.add(outbox);
    }

    /** How often {@link #checkForStalls} should run: a quarter of the stall limit, at most 100 ms. */
    long watchdogPeriodMillis() {
        return Math.max(1, Math.min(100, settings.stallMillis() / 4));
    }

    /**
     * Fails every outbox whose sender was found blocked (not running) on the same turn by
     * enough consecutive checks to span the stall limit, and replaces that sender. Counting
     * checks rather than comparing clocks means a GC pause or a starved CPU, which also delay
     * the watchdog, never make a healthy client look stalled. Runs on the watchdog's schedule.
     */
    void checkForStalls() {
        // Liberty closes a stalled connection's socket but never wakes a write blocked on it;
        // an interrupt makes the write retry, which then fails and lets the thread end.
        abandoned.forEach(sender -> sender.thread.interrupt());
        // Producers wake a sender when the awake ones fall behind; this covers a quiet node.
        ready.wakeIfStuck();
        long checksToStall = Math.max(1, settings.stallMillis() / watchdogPeriodMillis());
        for (Sender sender : senders) {
            Turn turn = sender.turn.get();
            if (turn == null || turn == ABANDONED) {
                continue;
            }
            turn.blockedChecks = isBlocked(sender.thread) ? turn.blockedChecks + 1 : 0;
            if (turn.blockedChecks >= checksToStall && sender.turn.compareAndSet(turn, ABANDONED)) {
                senders.remove(sender);
                abandoned.add(sender);
                ready.leave(); // on its behalf: it takes no more outboxes
                turn.outbox.stalled();
                replenish();
            }
        }
    }

    /** Waiting inside the socket write (Liberty waits on a monitor until the socket drains). */
    private static boolean isBlocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    /** Sender threads alive, the ones blocked on stalled clients included. */
    int liveThreads() {
        return liveThreads.get();
    }

    /** Stops the senders; frames still queued are not written. */
    @Override
    public void close() {
        closed = true;
        ready.close();
        senders.forEach(sender -> sender.thread.interrupt());
        abandoned.forEach(sender -> sender.thread.interrupt());
    }

    /** Starts senders until the pool has its size again, within the thread limit. */
    private synchronized void replenish() {
        int limit = settings.threads() + settings.maxStalledThreads();
        while (!closed && senders.size() < settings.threads() && liveThreads.get() < limit) {
            startSender();
        }
        if (!closed && senders.size() < settings.threads()) {
            LOG.warning("Send pool at its limit of " + limit + " threads: " + senders.size() + " of "
                    + settings.threads() + " senders free until blocked writes to stalled clients end");
        }
    }

    private void startSender() {
        Sender sender = new Sender();
        sender.thread = threads.newThread(sender);
        sender.thread.setName("roomcast-sender-" + sender.thread.getId());
        senders.add(sender);
        liveThreads.incrementAndGet();
        sender.thread.start();
    }

    private final class Sender implements Runnable {
        final AtomicReference<Turn> turn = new AtomicReference<>();
        volatile Thread thread;

        @Override
        public void run() {
            ready.enter();
            try {
                Outbox outbox;
                while ((outbox = ready.take()) != null) {
                    Turn mine = new Turn(outbox);
                    turn.set(mine);
                    boolean more = outbox.drain(FRAMES_PER_TURN);
                    if (!turn.compareAndSet(mine, null)) {
                        return; // the watchdog gave up on this turn and replaced this thread
                    }
                    if (more) {
                        ready.add(outbox);
                    }
                }
            } finally {
                liveThreads.decrementAndGet();
                if (abandoned.remove(this)) {
                    Thread.interrupted(); // the watchdog's wake-up call may come late
                    replenish(); // it was replaced while blocked, perhaps beyond the limit
                } else {
                    senders.remove(this);
                    ready.leave();
                }
            }
        }
    }
}
