package io.roomcast.ws;

import io.roomcast.protocol.CloseCode;
import io.roomcast.security.Admission;
import io.roomcast.security.HandshakeCheck;
import io.roomcast.security.ServletCallerRequest;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.Session;
import java.io.IOException;
import java.security.Principal;

/**
 * Judges every WebSocket handshake before the upgrade and hands the verdict to the endpoint
 * (while {@link HandshakeFilter} counts and times the handshakes).
 *
 * <p>A servlet filter rather than a {@code ServerEndpointConfig.Configurator}: the WebSocket
 * API's {@code HandshakeRequest} has no peer address, which trusted-proxy checks and the
 * per-address limit need. Liberty runs the web module's filters before it upgrades, and copies
 * the request's user principal into the WebSocket {@code Session}; the verdict travels as that
 * principal, one per connection, so no shared state is involved. The upgrade itself always
 * proceeds: the endpoint closes a refused connection with the verdict's code, which a browser can
 * read (a refused HTTP handshake only shows as 1006).
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class AdmissionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient HandshakeCheck check;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        VerdictPrincipal verdict = new VerdictPrincipal(check.check(new ServletCallerRequest(request)));
        chain.doFilter(new JudgedRequest(request, verdict), response);
    }

    /** The upgrade request as the WebSocket container sees it: with the verdict, without a new HTTP session. */
    private static final class JudgedRequest extends HttpServletRequestWrapper {

        private final VerdictPrincipal verdict;

        JudgedRequest(HttpServletRequest request, VerdictPrincipal verdict) {
            super(request);
            this.verdict = verdict;
        }

        @Override
        public Principal getUserPrincipal() {
            return verdict;
        }

        // Liberty's handshake asks for an HTTP session, which would create one per connection
        // (about 3.5 KiB each, kept 30 minutes after the close, and a JSESSIONID cookie on the
        // 101). Roomcast keeps no state in it, so the handshake only sees a session the client
        // already has.
        @Override
        public HttpSession getSession() {
            return getSession(false);
        }

        @Override
        public HttpSession getSession(boolean create) {
            return super.getSession(false);
        }
    }

    /**
     * The verdict on {@code session}'s handshake. Fails closed: a session that did not pass
     * through this filter is refused.
     */
    static Admission admissionOf(Session session) {
        return session.getUserPrincipal() instanceof VerdictPrincipal verdict ? verdict.admission()
                : Admission.refused(CloseCode.NOT_AUTHENTICATED, "unknown", "The handshake was not checked");
    }

    /** Carries the verdict from the filter to {@code Session.getUserPrincipal()}. */
    record VerdictPrincipal(Admission admission) implements Principal {

        @Override
        public String getName() {
            return admission.identity().name().orElse("anonymous");
        }
    }
}
