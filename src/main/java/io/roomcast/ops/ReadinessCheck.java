package io.roomcast.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: DOWN while the node drains, while it is at capacity and while the bus
 * is down, so that load balancers send new clients elsewhere. {@code reason} says which.
 */
@Readiness
@ApplicationScoped
class ReadinessCheck implements HealthCheck {

    @Inject
    NodeStatus status;

    @Override
    public HealthCheckResponse call() {
        String reason = status.draining() ? "draining"
                : status.atCapacity() ? "at capacity"
                : !status.bus().up() ? "message bus down" : "";
        return status.response("roomcast-ready").status(reason.isEmpty()).withData("reason", reason).build();
    }
}
