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
 * import them and an unused one is never created. The {@link NodeDirectory} and the {@link PresenceStore} follow the same choice.
 */
@ApplicationScoped
public class MessageBusProducer {

    @Inject
    RoomcastConfig config;

    @Inject
    @Any
    Instance<MessageBus> buses;

    @Inject
    @Any
    Instance<NodeDirectory> directories;

    @Produces
    @ApplicationScoped
    MessageBus messageBus() {
        return chosen(buses);
    }

    @Produces
    @ApplicationScoped
    NodeDirectory nodeDirectory() {
        return chosen(directories);
    }

    @Inject
    @Any
    Instance<PresenceStore> presenceStores;

    @Produces
    @ApplicationScoped
    PresenceStore presenceStore() {
        return chosen(presenceStores);
    }

    private <T> T chosen(Instance<T> implementations) {
        String name = config.redisUrl().isPresent() ? "redis" : "local";
        Instance<T> chosen = implementations.select(new BusImplementation.Literal(name));
        if (!chosen.isResolvable()) {
            throw new IllegalStateException("No implementation named '" + name + "' in this build");
        }
        return chosen.get();
    }
}
