package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint at {@code /ws} ({@link RoomEndpoints} registers it): one instance per
 * connection, forwarding each event to {@link RequestHandler}.
 *
 * <p>Programmatic rather than {@code @ServerEndpoint}: Liberty copies an annotated endpoint's
 * method metadata for every connection, about 0.8 KiB of heap per idle connection.
 */
public class RoomEndpoint extends Endpoint {

    private static final Logger LOG = Logger.getLogger(RoomEndpoint.class.getName());

    private final RequestHandler handler;

    // Volatile pair: a close racing with the open is seen by one side or the other, so the
    // slot is always given back (handler.closed is idempotent).
    private volatile ClientConnection connection;
    private volatile boolean ended;

    RoomEndpoint(RequestHandler handler) {
        this.handler = handler;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class, this::onText);
        session.addMessageHandler(ByteBuffer.class, this::onBinary);
        ClientConnection opened = handler.open(session, AdmissionFilter.admissionOf(session));
        connection = opened;
        if (ended) {
            handler.closed(opened);
        }
    }

    private void onText(String frame) {
        if (connection != null) {
            handler.onText(connection, frame);
        }
    }

    private void onBinary(ByteBuffer frame) {
        if (connection != null) {
            connection.closeNow(CloseCode.BINARY_NOT_ACCEPTED);
        }
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        end();
    }

    @Override
    public void onError(Session session, Throwable error) {
        // Resets and protocol errors end here; the container closes the session afterwards.
        LOG.log(Level.FINE, "WebSocket error", error);
        end();
    }

    private void end() {
        ended = true;
        handler.closed(connection);
    }
}
