package io.roomcast.security;

import io.roomcast.room.Caller;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who a request proved to be.
 *
 * @param name       the user name; empty for an anonymous caller ({@code roomcast.auth.mode=none})
 * @param groups     the caller's groups (never null; empty when anonymous)
 * @param validUntil when the credential stops being valid (a JWT's {@code exp} plus the allowed
 *                   clock skew); empty when it does not expire
 */
public record Identity(Optional<String> name, Set<String> groups, Optional<Instant> validUntil) {

    /**
     * The request property (a servlet request attribute) under which the API role filters leave
     * the caller's identity for the resource they let through.
     */
    public static final String REQUEST_PROPERTY = Identity.class.getName();

    /** Nobody in particular: authentication is off. */
    public static final Identity ANONYMOUS = new Identity(Optional.empty(), Set.of(), Optional.empty());

    public Identity {
        groups = Set.copyOf(groups);
    }

    /** The caller as the room layer sees it; anonymous callers are named by {@code fallbackName}. */
    public Caller caller(String fallbackName) {
        return new Caller(name.orElse(fallbackName), groups);
    }

    public boolean isAnonymous() {
        return name.isEmpty();
    }
}
