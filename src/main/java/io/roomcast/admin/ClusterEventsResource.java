package io.roomcast.admin;

import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/admin/events}: the admin console's live feed, one {@code cluster} event a
 * second (see {@link ClusterEvents}). A console past the subscriber limit gets one
 * {@code error} event and the stream ends.
 */
@Path("admin/events")
@AdminOnly
@RequestScoped
public class ClusterEventsResource {

    @Inject
    ClusterEvents events;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void subscribe(@Context SseEventSink sink, @Context Sse sse) {
        if (!events.subscribe(sink, sse)) {
            OutboundSseEvent refusal = sse.newEventBuilder().name("error")
                    .data("Too many admin consoles are open (" + ClusterEvents.MAX_SUBSCRIBERS + ")").build();
            sink.send(refusal).whenComplete((ok, failure) -> sink.close());
        }
    }
}
