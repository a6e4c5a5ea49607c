package io.roomcast.security;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Set;

/**
 * Guards {@link PublisherOnly} resources: the caller must be in
 * {@code roomcast.auth.publisher-group} or the admin group.
 */
@Provider
@PublisherOnly
@Priority(Priorities.AUTHORIZATION)
@ApplicationScoped
public class PublisherRoleFilter extends RoleFilter {

    @Override
    Set<String> allowedGroups() {
        return Set.copyOf(List.of(config.publisherGroup(), config.adminGroup()));
    }
}
