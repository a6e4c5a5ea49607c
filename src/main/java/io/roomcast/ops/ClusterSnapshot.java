package io.roomcast.ops;

import io.roomcast.bus.BusUnavailableException;
import io.roomcast.bus.NodeDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stats of every live node: this one first and fresh, the others (by node id) as their
 * last heartbeat announced them, at most 2 s old. When the directory cannot be read, this node
 * alone, whose {@code bus} field says why. What {@code GET /api/cluster} answers and what the
 * admin console shows. May block up to the bus's timeout (the directory read).
 */
@ApplicationScoped
public class ClusterSnapshot {

    private static final Logger LOG = Logger.getLogger(ClusterSnapshot.class.getName());

    @Inject
    NodeStats stats;

    @Inject
    NodeDirectory directory;

    /** One stats object per live node, this node first; never empty. */
    public JsonArray nodes() {
        List<String> announced;
        try {
            announced = directory.announcements();
        } catch (BusUnavailableException e) {
            LOG.log(Level.FINE, "Cluster view limited to this node", e);
            announced = List.of();
        }
        return of(stats.snapshot(), announced);
    }

    /** {@code self}, then every other node's announcement that parses, by node id. */
    static JsonArray of(JsonObject self, List<String> announcements) {
        String selfId = self.getString("node");
        JsonArrayBuilder nodes = Json.createArrayBuilder().add(self);
        announcements.stream().map(ClusterSnapshot::parse).filter(Objects::nonNull)
                .filter(node -> !selfId.equals(node.getString("node", null)))
                .sorted(Comparator.comparing(node -> node.getString("node", "")))
                .forEach(nodes::add);
        return nodes.build();
    }

    private static JsonObject parse(String announced) {
        try (var reader = Json.createReader(new StringReader(announced))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return null; // not ours (another release or a stray key): skip it
        }
    }
}
