package io.roomcast.admin;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * The stats of every live node, as {@code GET /api/cluster} returns them (PROTOCOL.md
 * section 2), for the admin console's live view and for finding the node an action is for.
 *
 * <p>Implementations must answer quickly from state they already hold (the console asks once
 * a second); they are called from a scheduler thread and from request threads.
 */
public interface ClusterView {

    /** One stats object per live node, this node included; never empty. */
    List<JsonObject> nodes();
}
