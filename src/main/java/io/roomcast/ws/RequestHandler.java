package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import io.roomcast.protocol.ErrorCode;
import io.roomcast.protocol.ProtocolException;
import io.roomcast.room.Caller;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.websocket.Session;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What happens on each WebSocket event: admission on open, one request per text frame, and
 * cleanup on close. Maps every refusal to the contract's error or close code.
 */
@ApplicationScoped
class RequestHandler {

    @Inject
    ConnectionSupport support;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    /**
     * Admits a new session, or closes it when the node is full (1013) or draining (1001) and
     * returns null. A session whose welcome cannot be queued gives its slot back at once.
     */
    ClientConnection open(Session session) {
        int maxBytes = support.config().maxMessageBytes();
        session.setMaxTextMessageBufferSize(maxBytes);
        session.setMaxBinaryMessageBufferSize(maxBytes);
        ClientConnection connection = new ClientConnection(session, Caller.anonymous(session.getId()), support);
        if (!connections.admit(connection)) {
            boolean draining = !connections.isAccepting();
            support.metrics().connectionRejected(draining ? "draining" : "capacity");
            connection.closeNow(draining ? CloseCode.GOING_AWAY : CloseCode.AT_CAPACITY);
            return null;
        }
        try {
            connection.send(FrameCodec.welcome(connection.id(), support.config().nodeId()));
        } catch (RuntimeException e) {
            closed(connection);
            throw e;
        }
        return connection;
    }

    void onText(ClientConnection connection, String text) {
        support.metrics().frameReceived();
        if (isTooBig(text)) {
            connection.closeNow(CloseCode.TOO_BIG);
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
            connection.send(FrameCodec.error(e.code(), e.getMessage(), ref));
        }
    }

    private void handle(ClientConnection connection, Request request) {
        String ref = request.ref();
        switch (request.type()) {
            case "join" -> {
                rooms.join(connection, request.room());
                connection.send(FrameCodec.joined(request.room(), ref));
            }
            case "leave" -> {
                rooms.leave(connection, request.room());
                connection.send(FrameCodec.left(request.room(), ref));
            }
            case "publish" -> publish(connection, request);
            case "ping" -> connection.send(FrameCodec.pong(ref));
            default -> throw new IllegalStateException("FrameCodec let through type " + request.type());
        }
    }

    private void publish(ClientConnection connection, Request request) {
        String ref = request.ref();
        CompletionStage<String> accepted;
        try {
            accepted = rooms.publish(connection, request.room(), request.data());
        } catch (ProtocolException e) {
            countBusFailure(e.code());
            throw e;
        }
        accepted.whenComplete((id, failure) -> {
            if (failure != null) {
                countBusFailure(codeOf(failure));
                connection.send(FrameCodec.error(codeOf(failure), messageOf(failure), ref));
            } else if (ref != null) {
                connection.send(FrameCodec.ack(ref, id));
            }
        });
    }

    private void countBusFailure(ErrorCode code) {
        if (code == ErrorCode.UNAVAILABLE) {
            support.metrics().busPublishFailed();
        }
    }

    /** Releases everything the connection held; safe to call more than once. */
    void closed(ClientConnection connection) {
        if (connection != null) {
            connection.markClosed(); // before leaveAll: a join in flight then undoes itself
            rooms.leaveAll(connection);
            connections.release(connection);
        }
    }

    /** Backstop for the container's own frame limit: UTF-8 size, counted only when it can matter. */
    private boolean isTooBig(String text) {
        int max = support.config().maxMessageBytes();
        return text.length() > max / 3 && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    private static ErrorCode codeOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ProtocolException p ? p.code() : ErrorCode.UNAVAILABLE;
    }

    private static String messageOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? "Message bus unavailable" : cause.getMessage();
    }
}
