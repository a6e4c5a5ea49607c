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
 * with authentication off, it must be on this machine ({@link AdminAccess}).
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
@ApplicationScoped
public class AdminRoleFilter extends RoleFilter {

    @Inject
    AdminAccess access;

    @Override
    Set<String> allowedGroups() {
        return Set.of(config.adminGroup());
    }

    @Override
    Optional<String> refusalWithoutAuthentication(CallerRequest request) {
        return access.allows(request) ? Optional.empty() : Optional.of(AdminAccess.REFUSAL);
    }
}
