package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import it.io.roomcast.support.FreePorts;
import it.io.roomcast.support.LibertyNode;
import it.io.roomcast.support.WsClient;
import jakarta.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as a user runs it: the project's liberty/ configuration, the WAR at context root
 * {@code /}, configuration from environment variables.
 */
class StandaloneNodeIT {

    private static LibertyNode node;

    @BeforeAll
    static void startNode() throws Exception {
        node = LibertyNode.start("standalone", FreePorts.next(), Map.of("ROOMCAST_NODE_ID", "node-from-env"));
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    void servesTheProtocolAtTheRootContextWithTheConfiguredNodeId() throws Exception {
        try (WsClient client = WsClient.connect(node.ws())) {
            assertEquals("node-from-env", client.welcome().getString("node"));
            client.join("root");
            client.send("{\"type\":\"publish\",\"room\":\"root\",\"data\":\"hello\"}");
            JsonObject message = client.next();
            assertEquals("hello", message.getString("data"));
        }
    }
}
