package it.io.roomcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import it.io.roomcast.support.Deployments;
import it.io.roomcast.support.Http;
import it.io.roomcast.support.Urls;
import jakarta.json.Json;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP API's per-caller limits ({@code roomcast.http.rate.*}), here 5 a second: a caller who
 * floods gets {@code 429 rate_limited} with {@code Retry-After}, counted in the metric, while
 * other callers, and the same caller's other kind of request, are still served. Callers come
 * through the trusted local proxy, each with its own {@code X-Forwarded-For}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpRateLimitIT {

    /** More requests than any flood needs: at 5 a second, the 6th within a second is refused. */
    private static final int MAX_FLOOD = 1_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.roomcast("ratelimit", Map.of("roomcast.http.rate.publishes-per-second", "5",
                "roomcast.http.rate.reads-per-second", "5"));
    }

    @ArquillianResource
    URL base;

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    private static Map<String, String> from(String client) {
        return Map.of("X-Forwarded-For", client);
    }

    @Test
    void aFloodOfPublishesGets429WhileAnotherCallerIsStillServed() throws Exception {
        URI publish = Urls.app(base, "/api/rooms/limited/messages");
        HttpResponse<String> refused = floodUntilRefused(() -> Http.postJson(publish, "1", from("192.0.2.1")));
        assertRateLimited(refused);
        assertEquals(202, Http.postJson(publish, "1", from("192.0.2.2")).statusCode(), "another caller is served");
        assertTrue(Http.metric(Urls.serverRoot(base, "/metrics"), "roomcast_http_rate_limited_total",
                "kind=\"publish\"") >= 1, "counted");
    }

    @Test
    void readsHaveALimitOfTheirOwn() throws Exception {
        URI history = Urls.app(base, "/api/rooms/limited/history");
        assertRateLimited(floodUntilRefused(() -> Http.get(history, from("192.0.2.3"))));
        assertEquals(202, Http.postJson(Urls.app(base, "/api/rooms/limited/messages"), "1", from("192.0.2.3"))
                .statusCode(), "the same caller may still publish");
        assertEquals(200, Http.get(history, from("192.0.2.4")).statusCode(), "another caller may still read");
    }

    /** Sends until the first refusal; every answer before it is a success. */
    private static HttpResponse<String> floodUntilRefused(Call call) throws Exception {
        for (int i = 0; i < MAX_FLOOD; i++) {
            HttpResponse<String> answer = call.send();
            if (answer.statusCode() == 429) {
                return answer;
            }
            assertTrue(answer.statusCode() / 100 == 2, "served until limited: " + answer.statusCode() + " " + answer.body());
        }
        throw new AssertionError(MAX_FLOOD + " requests and not one 429");
    }

    private static void assertRateLimited(HttpResponse<String> answer) {
        assertEquals("rate_limited", Json.createReader(new StringReader(answer.body())).readObject().getString("code"),
                answer.body());
        long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1, "Retry-After in whole seconds: " + retryAfter);
    }
}
