package it.io.roomcast.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;

/**
 * Reads Roomcast's own check from a MicroProfile Health answer. The server-wide status also
 * waits for every configured application (the Arquillian test server names one that is never
 * deployed there), so tests look at the {@code roomcast-*} check itself.
 */
public final class Health {

    private Health() {
    }

    /** The first {@code roomcast-*} check of a health answer's body. */
    public static JsonObject check(String body) {
        JsonObject health = Json.createReader(new StringReader(body)).readObject();
        return health.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").startsWith("roomcast-")).findFirst()
                .orElseThrow(() -> new AssertionError("no roomcast check in " + body));
    }

    /** The Roomcast check at {@code probe} (e.g. {@code /health/ready} at the server root). */
    public static JsonObject check(URI probe) throws Exception {
        return check(Http.get(probe).body());
    }

    /** Polls {@code probe} until its Roomcast check has {@code status} (10 s at most). */
    public static void await(URI probe, String status) throws Exception {
        long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
        while (!status.equals(check(probe).getString("status"))) {
            assertTrue(System.nanoTime() < deadline, probe + " never became " + status);
            Thread.sleep(50); // polling an HTTP probe: there is no event to wait on
        }
    }
}
