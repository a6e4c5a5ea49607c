package it.io.roomcast.support;

import io.roomcast.security.AdminOnly;
import io.roomcast.security.PublisherOnly;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Added to test deployments only: one resource per role marker, so that the role filters are
 * tested independently of the real resources that carry the same markers.
 */
@Path("probe")
@Produces(MediaType.APPLICATION_JSON)
public class RoleProbeResource {

    @GET
    @Path("admin")
    @AdminOnly
    public String admin() {
        return "{\"ok\":true}";
    }

    @POST
    @Path("publish")
    @PublisherOnly
    public String publish() {
        return "{\"ok\":true}";
    }
}
