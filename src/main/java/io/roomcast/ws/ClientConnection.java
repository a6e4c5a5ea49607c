package io.roomcast.ws;

import io.roomcast.limit.TokenBucket;
import io.roomcast.protocol.CloseCode;
import io.roomcast.ops.RoomcastMetrics;
import io.roomcast.room.Caller;
import io.roomcast.room.RoomRegistry;
import io.roomcast.room.RoomMember;
import io.roomcast.security.Identity;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open WebSocket as a room member: its identity (which a refresh may replace), its token
 * timers, its outbox and its rate limit. Every
 * frame to the client goes through {@link #send}; every close through {@link #disconnect}
 * (which runs it on a closer thread); everything it holds is given back by {@link #release}.
 */
final class ClientConnection implements RoomMember, Outbox.Socket, Outbox.Failures {

    private static final Logger LOG = Logger.getLogger(ClientConnection.class.getName());
    /** How long the release lets a write in progress end before the container writes its close frame. */
    private static final long OUTBOX_STOP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Session session;
    /** Replaced by a refresh (on the message thread); read by any thread. */
    private volatile Signed signed;
    private final String clientAddress;
    private final ConnectionSupport support;
    private final RoomcastMetrics metrics;
    private final Outbox outbox;
    private final TokenBucket rate;
    private final Liveness liveness = new Liveness();
    /** Set by the first close asked for: later ones (a drain, a slow consumer) do nothing. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set by the first {@link #release}. */
    private final AtomicBoolean released = new AtomicBoolean();
    private final ExpiryTimers expiry;

    /** The identity and the caller made of it, swapped together. */
    private record Signed(Identity identity, Caller caller) {
    }

    /**
     * @param clientAddress where the client connects from (after trusted {@code X-Forwarded-For})
     * @param support       the node-wide collaborators (config, metrics, executors, registries)
     */
    ClientConnection(Session session, Identity identity, String clientAddress, ConnectionSupport support) {
        this.session = session;
        this.signed = new Signed(identity, identity.caller(session.getId()));
        this.clientAddress = clientAddress;
        this.support = support;
        this.metrics = support.metrics();
        this.rate = new TokenBucket(support.config().messagesPerSecond(), System.nanoTime());
        this.outbox = new Outbox(support.config().outboxMaxMessages(), this, support.senders()::schedule, this);
        this.expiry = new ExpiryTimers(support.scheduler(), support.config().refreshWarning(),
                expires -> send(FrameCodec.expiring(expires)), () -> disconnect(CloseCode.TOKEN_EXPIRED));
    }

    // --- the member -------------------------------------------------------------------------

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public Caller caller() {
        return signed.caller();
    }

    Identity identity() {
        return signed.identity();
    }

    @Override
    public void deliver(String frame, long acceptedAtMicros) {
        if (outbox.offer(frame)) {
            metrics.delivered(acceptedAtMicros, RoomRegistry.epochMicros());
        }
    }

    @Override
    public boolean isOpen() {
        return !released.get();
    }

    String clientAddress() {
        return clientAddress;
    }

    /** Queues a frame for this client (never blocks). */
    @Override
    public void send(String frame) {
        outbox.offer(frame);
    }

    /** Whether the client may send one more frame now. Called on the connection's message thread. */
    boolean allowFrame() {
        return rate.tryTake(System.nanoTime());
    }

    /**
     * Arms the token timers of the current identity, when it expires: the {@code expiring}
     * warning, and the 1008 close when the credential stops being valid.
     */
    void watchExpiry() {
        Identity identity = identity();
        if (identity.expires().isPresent() && identity.validUntil().isPresent()) {
            expiry.arm(identity.expires().get(), identity.validUntil().get());
        }
    }

    /**
     * Acts as {@code refreshed} from now on (same user, maybe other groups, a later expiry) and
     * moves the token timers to its expiry. Called on the connection's message thread.
     */
    void reidentify(Identity refreshed) {
        signed = new Signed(refreshed, refreshed.caller(session.getId()));
        watchExpiry();
    }

    // --- dead peers -------------------------------------------------------------------------

    /** A frame or a pong came from the client: it is alive. Called on its message thread. */
    void heard() {
        liveness.heard();
    }

    /** One dead-peer check ({@link Liveness#check}): pings a silent client, closes a dead one. */
    void checkAlive(long nowNanos, long timeoutNanos) {
        switch (liveness.check(nowNanos, timeoutNanos)) {
            case PING -> outbox.ping();
            case DEAD -> {
                if (!closing.get()) {
                    metrics.closedUnresponsive();
                }
                disconnect(CloseCode.UNRESPONSIVE);
            }
            case ALIVE -> {
                // nothing to do
            }
        }
    }

    // --- closing and releasing --------------------------------------------------------------

    @Override
    public void closeWhenFlushed(CloseCode code) {
        outbox.closeWhenFlushed(() -> disconnect(code));
    }

    /**
     * Closes with {@code code} on a closer thread, whatever thread asks: closing writes a frame
     * and waits for the pending read, and no caller (a container thread refusing a handshake, a
     * sender, the drain) may be held by a stuck client. Only the first close of a connection counts.
     */
    @Override
    public void disconnect(CloseCode code) {
        if (closing.compareAndSet(false, true)) {
            offThread(() -> close(code));
        }
    }

    /** The socket is broken: no close frame can reach the peer, just let the container drop it. */
    @Override
    public void broken(Throwable error) {
        LOG.log(Level.FINE, "Send to " + id() + " failed; closing", error);
        if (closing.compareAndSet(false, true)) {
            offThread(this::abort);
        }
    }

    /**
     * Gives back everything the connection holds, once, whichever path gets here first (the
     * container's close or error, a failed open): stops the outbox, cancels the token timer,
     * leaves its rooms and frees its node and address slots. For admitted connections only.
     */
    void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        // isOpen() is false from here on, before the rooms are left: a join in flight undoes itself.
        outbox.stop(OUTBOX_STOP_NANOS);
        expiry.cancel();
        support.rooms().leaveAll(this);
        support.connections().release(this);
        support.addressQuota().release(clientAddress);
    }

    /** Once the application stops, the closer takes no more work: close on this thread then. */
    private void offThread(Runnable close) {
        try {
            support.closer().execute(close);
        } catch (RejectedExecutionException serverStopping) {
            close.run();
        }
    }

    private void close(CloseCode code) {
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

    // --- the socket, as the outbox's sender threads use it ----------------------------------

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
}
