package io.roomcast.ws;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The outboxes waiting for a sender, and the rule for waking parked senders: as few as keep up.
 *
 * <p>Why not a {@code LinkedBlockingQueue}: each sender that takes from it wakes the next one
 * while items remain, so a publish to ten members of a node woke every sender of the pool (four
 * wake-ups and four parks per message, most of them for one write each). Here a sender is woken
 * only when no sender is awake, when the backlog exceeds {@link #BACKLOG_PER_AWAKE_SENDER} per
 * awake sender, or when the awake ones took nothing for {@link #MAX_WAIT_NANOS} (a sender
 * descheduled, or blocked on a client that stopped reading): a burst is written by one thread
 * unless it is too long for one.
 */
final class ReadyQueue {

    /** Outboxes one awake sender may have waiting before another is woken. */
    static final int BACKLOG_PER_AWAKE_SENDER = 16;
    /** How long waiting outboxes may see no sender take one before another sender is woken. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int backlogPerAwakeSender;
    private final long maxWaitNanos;

    private final Queue<Outbox> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger backlog = new AtomicInteger();
    /** Senders not parked, those woken but not yet running included. */
    private final AtomicInteger awake = new AtomicInteger();
    private final Queue<Parked> parked = new ConcurrentLinkedQueue<>();
    /** When a sender last took an outbox, or was woken to take one. */
    private volatile long progressNanos = System.nanoTime();
    private volatile boolean closed;

    ReadyQueue() {
        this(BACKLOG_PER_AWAKE_SENDER, MAX_WAIT_NANOS);
    }

    /** With other limits than the defaults, for tests. */
    ReadyQueue(int backlogPerAwakeSender, long maxWaitNanos) {
        this.backlogPerAwakeSender = backlogPerAwakeSender;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * One park of one sender. A new one per park, so that a waker that took it from
     * {@code parked} but was descheduled before setting {@code woken} cannot wake a later park.
     */
    private static final class Parked {
        final Thread thread = Thread.currentThread();
        volatile boolean woken;
    }

    /** Counts the calling thread in as a sender (awake) before its first {@link #take}. */
    void enter() {
        awake.incrementAndGet();
    }

    /** Puts an outbox with frames in line and wakes a sender if the rule says so; never blocks. */
    void add(Outbox outbox) {
        ready.add(outbox);
        int waiting = backlog.incrementAndGet();
        int running = awake.get();
        if (running == 0 || waiting > running * backlogPerAwakeSender || isStuck()) {
            wakeOne();
        }
    }

    /** The next outbox for the calling sender, parking while there is none; null once closed. */
    Outbox take() {
        while (!closed) {
            Outbox next = ready.poll();
            if (next != null) {
                backlog.decrementAndGet();
                progressNanos = System.nanoTime();
                return next;
            }
            park();
        }
        return null;
    }

    /** The sender stops taking outboxes (its thread ends, or was given up as blocked). */
    void leave() {
        awake.decrementAndGet();
    }

    /** For the watchdog: wakes a sender if outboxes wait and no awake sender took one for too long. */
    void wakeIfStuck() {
        if (isStuck()) {
            wakeOne();
        }
    }

    /** Wakes every parked sender; {@link #take} returns null from now on. */
    void close() {
        closed = true;
        for (Parked sender : parked) {
            LockSupport.unpark(sender.thread);
        }
    }

    private boolean isStuck() {
        return backlog.get() > 0 && System.nanoTime() - progressNanos > maxWaitNanos;
    }

    private void wakeOne() {
        Parked sender = parked.poll();
        if (sender != null) {
            awake.incrementAndGet();
            progressNanos = System.nanoTime(); // a sender is on its way: no need to wake another for it
            sender.woken = true;
            LockSupport.unpark(sender.thread);
        }
    }

    private void park() {
        Parked self = new Parked();
        awake.decrementAndGet();
        parked.add(self);
        // An outbox added before this sender was in `parked` found it still awake: look again.
        if (!ready.isEmpty() && parked.remove(self)) {
            awake.incrementAndGet();
            return;
        }
        while (!self.woken && !closed) {
            LockSupport.park(this);
            Thread.interrupted(); // only close() interrupts a parked sender, and it sets `closed` first
        }
        if (!self.woken && parked.remove(self)) {
            awake.incrementAndGet(); // closed: leaving as it entered, awake, for leave() to count it out
        }
    }
}
