package io.roomcast.ws;

import io.roomcast.concurrent.SerialDrain;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one way frames reach a client: a bounded queue that a {@link SendPool} thread drains with
 * synchronous writes, at most one thread at a time. Producers (any thread) never block and
 * never write: the first frame of a burst hands the outbox to the pool, later ones only queue.
 * A client that reads too slowly fills its queue and is reported once, instead of making
 * memory grow or stalling the threads that deliver to everyone else.
 */
final class Outbox {

    /** Writes one text frame, blocking until the socket took it. */
    interface Socket {
        void write(String frame) throws IOException;

        /** Sends a WebSocket ping, blocking like {@link #write}. */
        default void ping() throws IOException {
            throw new UnsupportedOperationException("This socket cannot ping");
        }
    }

    /** Gives an outbox with frames to a sender thread; must not block. */
    interface Scheduler {
        void schedule(Outbox outbox);
    }

    /** How an outbox failed; each is reported once, and only the first failure. */
    interface Failures {
        /** The queue was full: the client reads too slowly. */
        void overflowed();

        /** One write blocked longer than the stall limit: the client stopped reading. */
        void stalled();

        /** The socket failed; no close frame can reach the client. */
        void broken(Throwable error);
    }

    /** Marks that the close after the flush has already run. */
    private static final Runnable DONE = () -> { };

    /** Claimed while the outbox is on the ready queue or being drained: one writer at a time. */
    private final SerialDrain<String> frames;
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean pingWanted = new AtomicBoolean();
    private volatile boolean writing;
    private final AtomicReference<Runnable> whenFlushed = new AtomicReference<>();
    /** Work besides frames, asked for while a sender may be releasing the outbox. */
    private final BooleanSupplier closeOrPingWanted = () -> whenFlushed.get() != null || pingWanted.get();
    private final Socket socket;
    private final Scheduler scheduler;
    private final Failures failures;

    /**
     * @param limit frames that may wait; one more fails the outbox
     */
    Outbox(int limit, Socket socket, Scheduler scheduler, Failures failures) {
        this.frames = new SerialDrain<>(limit);
        this.socket = socket;
        this.scheduler = scheduler;
        this.failures = failures;
    }

    /**
     * Queues a frame; false (and the failure reported) when the queue is full or failed, or
     * false without a failure once {@link #closeWhenFlushed} was called.
     */
    boolean offer(String frame) {
        if (!takesMore()) {
            return false;
        }
        if (!frames.offer(frame)) {
            fail(Failures::overflowed);
            return false;
        }
        scheduleIfIdle();
        return true;
    }

    /**
     * Takes no more frames and runs {@code close} (once, on the sender thread that wrote the
     * last frame) after every frame already queued was written. A failure of the outbox before
     * that means {@code close} never runs.
     */
    void closeWhenFlushed(Runnable close) {
        if (whenFlushed.compareAndSet(null, close)) {
            scheduleIfIdle();
        }
    }

    /** Sends a ping before the next queued frame (pings are written by the sender, like frames). */
    void ping() {
        if (takesMore() && pingWanted.compareAndSet(false, true)) {
            scheduleIfIdle();
        }
    }

    int size() {
        return frames.size();
    }

    /**
     * Takes and writes nothing more, and waits up to {@code maxWaitNanos} for a write in
     * progress to end. For the container's close: Liberty writes its own close frame right
     * after {@code onClose} without waiting for a write in progress, and two writes at once
     * can lose the close frame. A write to a reading client takes microseconds; a stalled one
     * is left to the watchdog.
     */
    void stop(long maxWaitNanos) {
        fail(nobodyToTell -> { }); // the container is closing the connection already
        long deadline = System.nanoTime() + maxWaitNanos;
        while (writing && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
        }
    }

    /** Reported by the pool's watchdog: a write to this client blocked too long. */
    void stalled() {
        fail(Failures::stalled);
    }

    /**
     * Writes up to {@code maxFrames} frames; called only by the sender thread that took this
     * outbox from the ready queue. True when frames are left and the caller must put the outbox
     * back on the ready queue (it stays scheduled), false when it is idle, closed or failed.
     */
    boolean drain(int maxFrames) {
        int written = 0;
        while (true) {
            // A plain read first: a failing compare-and-set still costs a locked instruction per frame.
            if (pingWanted.get() && pingWanted.compareAndSet(true, false)) {
                if (!write(null)) {
                    return false; // keep the claim: nothing more goes out
                }
                written++;
            }
            String frame = frames.poll();
            if (frame == null) {
                if (runCloseIfFlushed()) {
                    return false; // keep the claim: nothing more goes out
                }
                if (!frames.release(closeOrPingWanted)) {
                    return false;
                }
                continue;
            }
            if (!write(frame)) {
                return false; // keep the claim: nothing more goes out
            }
            if (++written >= maxFrames) {
                return !failed.get();
            }
        }
    }

    /**
     * Writes {@code frame}, or a ping when it is null; false when the outbox has failed or
     * stopped, or (failing it) when the socket broke.
     */
    private boolean write(String frame) {
        writing = true;
        try {
            // Checked only once `writing` is set: a concurrent stop() either sees this write and
            // waits for it, or is seen here. Checked before, a stop in between returned at once
            // and the container's close frame raced this write (FuzzIT, 1,500 closers).
            if (failed.get()) {
                return false;
            }
            if (frame == null) {
                socket.ping();
            } else {
                socket.write(frame);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            fail(f -> f.broken(e));
            return false;
        } finally {
            writing = false;
        }
    }

    /** Neither failed nor asked to close: new frames and pings are still taken. */
    private boolean takesMore() {
        return !failed.get() && whenFlushed.get() == null;
    }

    private void scheduleIfIdle() {
        if (frames.claim()) {
            scheduler.schedule(this);
        }
    }

    /** Runs the pending close once; true when a close was requested (nothing more goes out). */
    private boolean runCloseIfFlushed() {
        Runnable close = whenFlushed.get();
        if (close == null) {
            return false;
        }
        if (close != DONE && whenFlushed.compareAndSet(close, DONE) && !failed.get()) {
            close.run();
        }
        return true;
    }

    private void fail(Consumer<Failures> report) {
        if (failed.compareAndSet(false, true)) {
            frames.clear();
            report.accept(failures);
        }
    }
}
