package io.roomcast.admin;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.logging.Logger;

/**
 * Who performed an admin action, for the audit log. The only place that reads the caller's
 * identity: whatever the security layer puts into the request's {@link SecurityContext} (JWT
 * or trusted proxy headers) shows up here; without security it is {@code anonymous}.
 *
 * @param name    the authenticated user name, or {@code anonymous}
 * @param address the client address the request came from
 */
public record Operator(String name, String address) {

    /** The audit trail of admin actions: one INFO line per action, with who and the outcome. */
    private static final Logger AUDIT = Logger.getLogger("io.roomcast.admin.audit");

    static Operator of(SecurityContext security, HttpServletRequest request) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        String name = principal == null ? "anonymous" : principal.getName();
        return new Operator(name, request == null ? "unknown" : request.getRemoteAddr());
    }

    /** Logs that this operator did {@code action}, and how it ended (e.g. the HTTP status). */
    void audit(String action, Object outcome) {
        // Room names and session ids come from the request: no line breaks into the log.
        AUDIT.info(() -> ("Admin " + this + " " + action + ": " + outcome).replaceAll("\\p{Cntrl}", "?"));
    }

    @Override
    public String toString() {
        return name + "@" + address;
    }
}
