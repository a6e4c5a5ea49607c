package io.roomcast.ws;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;

/**
 * Registers {@link RoomEndpoint} at {@code /ws}; found by the container when the application
 * starts. Each connection gets a new endpoint holding the application-scoped {@link RequestHandler}.
 */
public class RoomEndpoints implements ServerApplicationConfig {

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of(ServerEndpointConfig.Builder.create(RoomEndpoint.class, "/ws")
                .configurator(new PerConnection()).build());
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return scanned;
    }

    private static final class PerConnection extends ServerEndpointConfig.Configurator {

        @Override
        public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new RoomEndpoint(CDI.current().select(RequestHandler.class).get()));
        }
    }
}
