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
 * @param expires    when the credential says it expires (a JWT's {@code exp}, the {@code expires}
 *                   clients see and refresh before); empty when it does not expire
 * @param signOn     the single sign-on session the credential belongs to, for back-channel
 *                   logout (issue 25); {@link SignOn#NONE} without a token
 */
public record Identity(Optional<String> name, Set<String> groups, Optional<Instant> validUntil,
        Optional<Instant> expires, SignOn signOn) {

    /**
     * The request property (a servlet request attribute) under which the API role filters leave
     * the caller's identity for the resource they let through.
     */
    public static final String REQUEST_PROPERTY = Identity.class.getName();

    /** Nobody in particular: authentication is off. */
    public static final Identity ANONYMOUS = new Identity(Optional.empty(), Set.of(), Optional.empty());

    /**
     * What an access token says about the sign-on session behind it.
     *
     * @param subject the token's {@code sub}
     * @param session the token's {@code sid} (OpenID Connect session id), when the provider sends one
     */
    public record SignOn(Optional<String> subject, Optional<String> session) {

        public static final SignOn NONE = new SignOn(Optional.empty(), Optional.empty());
    }

    public Identity {
        groups = Set.copyOf(groups);
    }

    /** A credential without a sign-on session, whose stated expiry is its {@code validUntil}. */
    public Identity(Optional<String> name, Set<String> groups, Optional<Instant> validUntil) {
        this(name, groups, validUntil, validUntil, SignOn.NONE);
    }

    /** The caller as the room layer sees it; anonymous callers are named by {@code fallbackName}. */
    public Caller caller(String fallbackName) {
        return new Caller(name.orElse(fallbackName), groups);
    }

    public boolean isAnonymous() {
        return name.isEmpty();
    }
}
