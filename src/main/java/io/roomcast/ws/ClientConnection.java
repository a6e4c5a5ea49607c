package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomRegistry;
import io.roomcast.room.RoomMember;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open WebSocket as a room member: its identity, its outbox and its rate limit. Every
 * frame to the client goes through {@link #send}.
 */
final class ClientConnection implements RoomMember {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());

    private final Session session;
    private final Caller caller;
    private final Outbox outbox;
    private final TokenBucket rate;
    private final Executor closer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;
    private final Runnable onSlowConsumer;
    private final RoomcastMetrics metrics;

    /** @param support the node-wide collaborators (config, metrics, executor) */
    ClientConnection(Session session, Caller caller, ConnectionSupport support) {
        this.session = session;
        this.caller = caller;
        this.closer = support.closer();
        this.rate = new TokenBucket(support.config().messagesPerSecond(), System.nanoTime());
        this.metrics = support.metrics();
        this.onSlowConsumer = metrics::outboxOverflowed;
        this.outbox = new Outbox(support.config().outboxMaxMessages(), this::sendAsync, this::outboxFailed);
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

    /** Queues a frame for this client (never blocks). */
    void send(String frame) {
        outbox.offer(frame);
    }

    /** Whether the client may send one more frame now. Called on the connection's message thread. */
    boolean allowFrame() {
        return rate.tryTake(System.nanoTime());
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Called once the container reports the session closed (or failed). */
    void markClosed() {
        closed = true;
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

    private void sendAsync(String frame, Consumer<Throwable> done) {
        try {
            session.getAsyncRemote().sendText(frame, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    private void outboxFailed(Throwable error) {
        if (error == null) {
            onSlowConsumer.run();
            disconnect(CloseCode.SLOW_CONSUMER);
        } else {
            // The socket is broken: no close frame can reach the peer, just release it.
            LOG.log(Level.FINE, "Send to " + id() + " failed; closing", error);
            if (closing.compareAndSet(false, true)) {
                offThread(this::abort);
            }
        }
    }
}
