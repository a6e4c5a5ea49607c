package io.roomcast.ws;

import io.roomcast.presence.PresenceFrames;
import io.roomcast.presence.PresenceService;
import io.roomcast.protocol.CloseCode;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Accepted;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import io.roomcast.security.AddressQuota;
import io.roomcast.security.Admission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What happens on each WebSocket event: admission on open and one request per text frame (the
 * close is {@link ClientConnection#release}). Maps every refusal to the contract's error or close code.
 */
@ApplicationScoped
class RequestHandler {

    /** Frames up to this many times {@code roomcast.max-message-bytes} are read whole: see {@link #containerReadLimit}. */
    static final int CONTAINER_READ_FACTOR = 4;

    @Inject
    ConnectionSupport support;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    @Inject
    PresenceService presence;

    @Inject
    TokenRefresh tokens;

    /**
     * Admits a new session whose handshake was judged {@code admission}, or closes it and
     * returns null: 1008 when refused or its address is at its limit, 1013 when the node is full,
     * 1001 when it is draining. Refusals close on the closer threads, never on this container
     * thread (during a drain every handshake is refused). A session whose welcome cannot be
     * queued gives its slots back at once.
     */
    ClientConnection open(Session session, Admission admission) {
        int readLimit = containerReadLimit(support.config().maxMessageBytes());
        session.setMaxTextMessageBufferSize(readLimit);
        session.setMaxBinaryMessageBufferSize(readLimit);
        ClientConnection connection = new ClientConnection(session, admission.identity(), admission.clientAddress(), support);
        Optional<Refusal> refusal = admission.refusal().map(code -> new Refusal(code, reasonOf(code)))
                .or(() -> takeSlots(connection));
        if (refusal.isPresent()) {
            support.metrics().connectionRejected(refusal.get().metricReason());
            connection.disconnect(refusal.get().code());
            return null;
        }
        try {
            connection.send(FrameCodec.welcome(connection.id(), support.config().nodeId(), admission.identity().expires()));
        } catch (RuntimeException e) {
            connection.release();
            throw e;
        }
        connection.watchExpiry(); // after the welcome: an expiring warning may go at once
        return connection;
    }

    /** A refused session: its close code and its {@code roomcast_connections_rejected} reason. */
    private record Refusal(CloseCode code, String metricReason) {
    }

    /** Takes the address slot, then the node slot; empty when both were taken. */
    private Optional<Refusal> takeSlots(ClientConnection connection) {
        AddressQuota quota = support.addressQuota();
        if (!quota.tryAcquire(connection.clientAddress())) {
            return Optional.of(new Refusal(CloseCode.TOO_MANY_FROM_ADDRESS, "per_address"));
        }
        if (!connections.admit(connection)) {
            quota.release(connection.clientAddress());
            boolean draining = !connections.isAccepting();
            return Optional.of(draining ? new Refusal(CloseCode.GOING_AWAY, "draining")
                    : new Refusal(CloseCode.AT_CAPACITY, "capacity"));
        }
        return Optional.empty();
    }

    private static String reasonOf(CloseCode handshakeRefusal) {
        return handshakeRefusal == CloseCode.ORIGIN_NOT_ALLOWED ? "origin" : "auth";
    }

    void onText(ClientConnection connection, String text) {
        support.metrics().frameReceived();
        if (isTooBig(text)) {
            connection.disconnect(CloseCode.TOO_BIG);
            return;
        }
        String ref = null;
        try {
            ProtocolException malformed = null;
            JsonObject frame = null;
            try {
                frame = FrameCodec.parseObject(text);
                ref = FrameCodec.ref(frame);
            } catch (ProtocolException e) {
                malformed = e;
            }
            // Every frame counts against the rate, garbage included.
            if (!connection.allowFrame()) {
                throw new ProtocolException(ErrorCode.RATE_LIMITED, "Too many frames; at most "
                        + support.config().messagesPerSecond() + " per second");
            }
            if (malformed != null) {
                throw malformed;
            }
            handle(connection, FrameCodec.request(frame, ref));
        } catch (ProtocolException e) {
            connection.send(FrameCodec.error(e, ref));
        }
    }

    private void handle(ClientConnection connection, Request request) {
        String ref = request.ref();
        switch (request.type()) {
            case "join" -> join(connection, request);
            case "leave" -> {
                rooms.leave(connection, request.room());
                connection.send(FrameCodec.left(request.room(), ref));
            }
            case "publish" -> publish(connection, request);
            case "history" -> history(connection, request);
            case "ping" -> connection.send(FrameCodec.pong(ref));
            case "refresh" -> tokens.refresh(connection, request);
            case "presence" -> presence.read(connection, request.room()).whenComplete((snapshot, failure) ->
                    connection.send(failure == null ? FrameCodec.presence(PresenceFrames.body(request.room(), snapshot), ref)
                            : FrameCodec.error(ProtocolException.of(failure), ref)));
            default -> throw new IllegalStateException("FrameCodec let through type " + request.type());
        }
    }

    /**
     * The {@code joined} reply is queued by the registry itself, before the room's first message
     * (replayed or live) reaches the connection; a join the bus could not complete is an error.
     */
    private void join(ClientConnection connection, Request request) {
        String ref = request.ref();
        rooms.join(connection, request.room(), request.since(), joined -> {
            if (joined.recovered() != null) {
                support.metrics().recovery(joined.recovered());
            }
            connection.send(FrameCodec.joined(request.room(), ref, joined));
            // Right after joined, before the client can ask anything: a presence request it sends
            // next is answered after the watch was registered, so no change falls between.
            presence.watch(connection, request.room(), request.presence());
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                connection.send(FrameCodec.error(ProtocolException.of(failure), ref));
            }
        });
    }

    private void history(ClientConnection connection, Request request) {
        String ref = request.ref();
        rooms.history(connection.caller(), request.room(), request.history()).whenComplete((history, failure) -> {
            if (failure != null) {
                connection.send(FrameCodec.error(ProtocolException.of(failure), ref));
            } else {
                support.metrics().historyRead();
                connection.send(FrameCodec.history(request.room(), history, ref));
            }
        });
    }

    private void publish(ClientConnection connection, Request request) {
        String ref = request.ref();
        CompletionStage<Accepted> accepted;
        try {
            accepted = rooms.publish(connection, request.room(), request.data(), request.key());
        } catch (ProtocolException e) {
            countBusFailure(e.code());
            throw e;
        }
        accepted.whenComplete((message, failure) -> {
            if (failure != null) {
                ProtocolException refusal = ProtocolException.of(failure);
                countBusFailure(refusal.code());
                connection.send(FrameCodec.error(refusal, ref));
            } else if (ref != null) {
                connection.send(FrameCodec.ack(ref, message));
            }
        });
    }

    private void countBusFailure(ErrorCode code) {
        if (code == ErrorCode.UNAVAILABLE) {
            support.metrics().busPublishFailed();
        }
    }

    /**
     * The largest frame Liberty reads whole before {@link #onText} judges it: a few times the
     * limit. Liberty refuses a frame above its own buffer as soon as the header arrives and
     * drops the connection with the rest of the frame unread; the kernel then resets it and
     * can discard the 1009 close frame still queued (FuzzIT caught it about once in 150
     * oversized frames). Frames up to this size get a clean 1009 from Roomcast instead, at
     * the cost of buffering them briefly.
     */
    static int containerReadLimit(int maxMessageBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) CONTAINER_READ_FACTOR * maxMessageBytes);
    }

    /** The frame limit itself (the container reads up to {@link #containerReadLimit}): UTF-8 size, counted only when it can matter. */
    private boolean isTooBig(String text) {
        int max = support.config().maxMessageBytes();
        return text.length() > max / 3 && text.getBytes(StandardCharsets.UTF_8).length > max;
    }
}
