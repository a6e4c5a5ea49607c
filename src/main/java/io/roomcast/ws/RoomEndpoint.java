package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket endpoint at {@code /ws}: one instance per connection, forwarding each event to
 * {@link RequestHandler}.
 *
 * <p>Not a CDI bean: {@link Instances} makes each instance with the one handler. Through
 * Liberty's default configurator, every connection's endpoint was a CDI managed object with an
 * injection target built anew (annotated type, injection points): 4.4% of a node's CPU samples
 * over a storm of connects ({@code scripts/bench connections --profile}, docs/BENCHMARKS.md).
 */
@ServerEndpoint(value = "/ws", configurator = RoomEndpoint.Instances.class)
public class RoomEndpoint {

    private static final Logger LOG = Logger.getLogger(RoomEndpoint.class.getName());

    private final RequestHandler handler;

    // Volatile pair: a close racing with the open is seen by one side or the other, so the
    // slots are always given back (release is idempotent).
    private volatile ClientConnection connection;
    private volatile boolean ended;

    /** Liberty refuses to deploy an annotated endpoint without it; connections get theirs from {@link Instances}. */
    public RoomEndpoint() {
        this(Instances.lookUpHandler());
    }

    RoomEndpoint(RequestHandler handler) {
        this.handler = handler;
    }

    /** Makes the endpoint of each new connection; the container creates one of these per deployment. */
    public static final class Instances extends ServerEndpointConfig.Configurator {

        private volatile RequestHandler handler;

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            RequestHandler known = handler;
            if (known == null) {
                known = lookUpHandler();
                handler = known;
            }
            return endpointClass.cast(new RoomEndpoint(known));
        }

        /** A client proxy of the application's one handler. */
        static RequestHandler lookUpHandler() {
            return CDI.current().select(RequestHandler.class).get();
        }
    }

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
