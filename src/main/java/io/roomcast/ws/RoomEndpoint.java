package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint at {@code /ws}: one instance per connection, forwarding each event to
 * {@link RequestHandler}. {@code @Dependent} makes it a CDI bean so that it gets injection.
 */
@ServerEndpoint("/ws")
@Dependent
public class RoomEndpoint {

    private static final Logger LOG = Logger.getLogger(RoomEndpoint.class.getName());

    @Inject
    RequestHandler handler;

    // Volatile pair: a close racing with the open is seen by one side or the other, so the
    // slots are always given back (release is idempotent).
    private volatile ClientConnection connection;
    private volatile boolean ended;

    @OnOpen
    public void onOpen(Session session) {
        ClientConnection opened = handler.open(session, AdmissionFilter.admissionOf(session));
        connection = opened;
        if (ended && opened != null) {
            opened.release();
        }
    }

    @OnMessage
    public void onText(String frame) {
        if (connection != null) {
            connection.heard();
            handler.onText(connection, frame);
        }
    }

    /** The answer to a dead-peer ping ({@link DeadPeerCheck}). */
    @OnMessage
    public void onPong(PongMessage pong) {
        if (connection != null) {
            connection.heard();
        }
    }

    @OnMessage
    public void onBinary(ByteBuffer frame) {
        if (connection != null) {
            connection.disconnect(CloseCode.BINARY_NOT_ACCEPTED);
        }
    }

    @OnClose
    public void onClose() {
        end();
    }

    @OnError
    public void onError(Throwable error) {
        // Resets and protocol errors end here; the container closes the session afterwards.
        LOG.log(Level.FINE, "WebSocket error", error);
        end();
    }

    private void end() {
        ended = true;
        ClientConnection opened = connection;
        if (opened != null) {
            opened.release();
        }
    }
}
