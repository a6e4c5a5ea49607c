package io.roomcast.api;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import io.roomcast.ops.NodeStats;
import io.roomcast.security.AdminOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * {@code GET /api/cluster}: the stats of every live node, this one first and fresh, the others
 * as their last heartbeat (at most 2 s old) announced them. When Redis cannot be read the
 * answer is this node alone, whose {@code bus} field says why.
 */
@ApplicationScoped
@Path("cluster")
public class ClusterResource {

    private static final Logger LOG = Logger.getLogger(ClusterResource.class.getName());

    @Inject
    NodeStats stats;

    @Inject
    NodeDirectory directory;

    @GET
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public JsonArray cluster() {
        JsonObject self = stats.snapshot();
        JsonArrayBuilder nodes = Json.createArrayBuilder().add(self);
        others(self.getString("node")).forEach(nodes::add);
        return nodes.build();
    }

    private Stream<JsonObject> others(String self) {
        try {
            return directory.announcements().stream().map(ClusterResource::parse)
                    .filter(node -> node != null && !self.equals(node.getString("node", null)))
                    .sorted(Comparator.comparing(node -> node.getString("node", "")));
        } catch (BusUnavailableException e) {
            LOG.log(Level.FINE, "Cluster view limited to this node", e);
            return Stream.empty();
        }
    }

    private static JsonObject parse(String announced) {
        try (var reader = Json.createReader(new StringReader(announced))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return null; // not ours (another release or a stray key): skip it
        }
    }
}
