package io.roomcast.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/** Guards {@link AdminOnly} resources: the caller must be in {@code roomcast.auth.admin-group}. */
@Provider
@AdminOnly
@Priority(Priorities.AUTHORIZATION)
@ApplicationScoped
public class AdminRoleFilter extends RoleFilter {

    @Override
    Set<String> allowedGroups() {
        return Set.of(config.adminGroup());
    }
}
