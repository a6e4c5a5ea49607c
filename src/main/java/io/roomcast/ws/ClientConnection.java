package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomRegistry;
import io.roomcast.room.RoomMember;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open WebSocket as a room member: its identity, its outbox and its rate limit. Every
 * frame to the client goes through {@link #send}.
 */
final class ClientConnection implements RoomMember, Outbox.Socket, Outbox.Failures {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    private final Session session;
    private final Caller caller;
    private final Outbox outbox;
    private final TokenBucket rate;
    private final Executor closer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private final RoomcastMetrics metrics;
    private final String clientAddress;
    private final ConnectionSupport support;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Future<?> expiry;
    /** Something (a frame, a pong) came from the client since the last dead-peer check. */
    private volatile boolean heard = true;
    /** Only the dead-peer check touches these two. */
    private boolean pinged;
    private long pingedAtNanos;

    /**
     * @param clientAddress where the client connects from (after trusted {@code X-Forwarded-For})
     * @param support       the node-wide collaborators (config, metrics, executors)
     */
    ClientConnection(Session session, Caller caller, String clientAddress, ConnectionSupport support) {
        this.session = session;
        this.caller = caller;
        this.clientAddress = clientAddress;
        this.support = support;
        this.closer = support.closer();
        this.rate = new TokenBucket(support.config().messagesPerSecond(), System.nanoTime());
        this.metrics = support.metrics();
        this.outbox = new Outbox(support.config().outboxMaxMessages(), this, support.senders()::schedule, this);
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public void deliver(String frame, long acceptedAtMicros) {
        if (outbox.offer(frame)) {
            metrics.delivered(acceptedAtMicros, RoomRegistry.epochMicros());
        }
    }

    @Override
    public void closeWhenFlushed(CloseCode code) {
        outbox.closeWhenFlushed(() -> disconnect(code));
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Closes the connection with 1008 at {@code validUntil}, when its credential stops being valid. */
    void expireAt(Instant validUntil) {
        long delay = Math.max(0, Duration.between(Instant.now(), validUntil).toMillis());
        expiry = support.scheduler().schedule(() -> disconnect(CloseCode.TOKEN_EXPIRED), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Marks the connection's per-address slot and expiry as given back; true only the first
     * time, so that every close path (close, error, both) releases them exactly once.
     */
    boolean releaseOnce() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        Future<?> pending = expiry;
        if (pending != null) {
            pending.cancel(false);
        }
        return true;
    }

    /** Queues a frame for this client (never blocks); not counted as a delivery. */
    @Override
    public void send(String frame) {
        outbox.offer(frame);
    }

    /** A frame or a pong came from the client: it is alive. Called on its message thread. */
    void heard() {
        if (!heard) {
            heard = true;
        }
    }

    /**
     * One dead-peer check, every {@code roomcast.ping.interval-ms}: a connection heard
     * from since the last check is left alone; one silent since then gets a ping; one still
     * silent {@code timeoutNanos} after its ping is closed as unresponsive.
     */
    void checkAlive(long nowNanos, long timeoutNanos) {
        if (heard) {
            heard = false;
            pinged = false;
        } else if (!pinged) {
            pinged = true;
            pingedAtNanos = nowNanos;
            outbox.ping();
        } else if (nowNanos - pingedAtNanos >= timeoutNanos) {
            if (!closing.get()) {
                metrics.closedUnresponsive();
            }
            disconnect(CloseCode.UNRESPONSIVE);
        }
    }

    /** Whether the client may send one more frame now. Called on the connection's message thread. */
    boolean allowFrame() {
        return rate.tryTake(System.nanoTime());
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Called once the container reports the session closed (or failed), on its thread: stops
     * the outbox and lets a write in progress end before the container writes its close frame.
     */
    void markClosed() {
        closed = true;
        outbox.stop(TimeUnit.MILLISECONDS.toNanos(200));
    }

    @Override
    public void disconnect(CloseCode code) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        offThread(() -> closeNow(code));
    }

    /**
     * Closing writes a frame and waits for the pending read; never let a stuck client block the
     * thread that noticed it. Once the application stops, the closer takes no more work: close here.
     */
    private void offThread(Runnable close) {
        try {
            closer.execute(close);
        } catch (RejectedExecutionException serverStopping) {
            close.run();
        }
    }

    /** Closes on the calling thread; for the endpoint's own callbacks. */
    void closeNow(CloseCode code) {
        closing.set(true);
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), code.reason()));
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Close of " + id() + " failed; the socket is already gone", e);
        }
    }

    private void abort() {
        try {
            session.close();
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "Abort of " + id() + " failed", e);
        }
    }

    /** Runs on a sender thread; blocks while the client's socket buffer is full. */
    @Override
    public void write(String frame) throws IOException {
        session.getBasicRemote().sendText(frame);
    }

    /** Runs on a sender thread, like {@link #write}; the client's pong arrives at {@link #heard}. */
    @Override
    public void ping() throws IOException {
        session.getBasicRemote().sendPing(ByteBuffer.allocate(0));
    }

    @Override
    public void overflowed() {
        metrics.outboxOverflowed();
        disconnect(CloseCode.SLOW_CONSUMER);
    }

    @Override
    public void stalled() {
        metrics.sendStalled();
        disconnect(CloseCode.SLOW_CONSUMER);
    }

    @Override
    public void broken(Throwable error) {
        // The socket is broken: no close frame can reach the peer, just release it.
        LOG.log(Level.FINE, "Send to " + id() + " failed; closing", error);
        if (closing.compareAndSet(false, true)) {
            offThread(this::abort);
        }
    }
}
