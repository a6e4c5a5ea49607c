package io.roomcast.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.Set;

/**
 * Guards {@link AdminOnly} resources: the caller must be in {@code roomcast.auth.admin-group};
 * with authentication off, it must be on this machine ({@link AdminAccess}). The cluster key
 * ({@link ClusterKey}) admits a request in every mode.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
@ApplicationScoped
public class AdminRoleFilter extends RoleFilter {

    @Inject
    AdminAccess access;

    /** Other nodes forward admin actions, and scripts/drain drains, with the cluster key. */
    @Override
    boolean acceptsClusterKey() {
        return true;
    }

    @Override
    Set<String> allowedGroups() {
        return Set.of(config.adminGroup());
    }

    @Override
    Optional<String> refusalWithoutAuthentication(CallerRequest request) {
        return access.allows(request) ? Optional.empty() : Optional.of(AdminAccess.REFUSAL);
    }
}
