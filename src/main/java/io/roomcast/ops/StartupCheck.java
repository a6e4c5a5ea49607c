package io.roomcast.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** {@code /health/started}: UP once the registry, the bus and the metrics exist. */
@Startup
@ApplicationScoped
class StartupCheck implements HealthCheck {

    @Inject
    EagerStartup startup;

    @Inject
    NodeStatus status;

    @Override
    public HealthCheckResponse call() {
        return status.response("roomcast-started").status(startup.isStarted()).build();
    }
}
