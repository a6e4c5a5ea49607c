package io.roomcast.bus;

import io.roomcast.config.RoomcastConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Chooses the bus implementation from configuration: Redis when {@code roomcast.redis.url}
 * is set, else in memory. Implementations are {@link BusImplementation} beans, so this package does not
 * import them and an unused one is never created.
 */
@ApplicationScoped
public class MessageBusProducer {

    @Inject
    RoomcastConfig config;

    @Inject
    @Any
    Instance<MessageBus> implementations;

    @Produces
    @ApplicationScoped
    MessageBus messageBus() {
        String name = config.redisUrl().isPresent() ? "redis" : "local";
        Instance<MessageBus> chosen = implementations.select(new BusImplementation.Literal(name));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException("No message bus named '" + name + "' in this build");
        }
        return chosen.get();
    }
}
