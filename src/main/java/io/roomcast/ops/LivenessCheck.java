package io.roomcast.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /health/live}: UP whenever the application answers. Draining, a full node and a lost
 * Redis are readiness matters; restarting the process would not fix any of them.
 */
@Liveness
@ApplicationScoped
class LivenessCheck implements HealthCheck {

    @Inject
    NodeStatus status;

    @Override
    public HealthCheckResponse call() {
        return status.response("roomcast-live").up().build();
    }
}
