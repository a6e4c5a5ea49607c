package io.roomcast.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The admin console's pages ({@code /admin}) follow the admin API's rule ({@link AdminAccess}):
 * with authentication off, only callers on this machine get them.
 */
@WebFilter(urlPatterns = {"/admin", "/admin/*"})
public class AdminConsoleFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient AdminAccess access;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (access.allows(new ServletCallerRequest(request))) {
            chain.doFilter(request, response);
        } else {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().println(AdminAccess.REFUSAL);
        }
    }
}
