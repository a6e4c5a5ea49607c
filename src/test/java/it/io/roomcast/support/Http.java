package it.io.roomcast.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small HTTP helpers: GET text, and read one Prometheus sample from {@code /metrics}. */
public final class Http {

    /** How long {@link #awaitMetric} polls; the same patience as {@code WsClient.WAIT}. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(URI uri) throws Exception {
        return get(uri, Map.of());
    }

    /** GET with extra request headers (e.g. {@code Authorization}). */
    public static HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        return send(request(uri, headers).GET());
    }

    public static HttpResponse<String> postJson(URI uri, String body) throws Exception {
        return postJson(uri, body, Map.of());
    }

    /** POST of a JSON body with extra request headers. */
    public static HttpResponse<String> postJson(URI uri, String body, Map<String, String> headers) throws Exception {
        return send(request(uri, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder request(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return request;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first sample of {@code metric} (exact name, any labels) at {@code metricsUri}. */
    public static double metric(URI metricsUri, String metric) throws Exception {
        return metric(metricsUri, metric, "");
    }

    /** The value of the first sample of {@code metric} whose labels contain {@code label}, e.g. {@code reason="capacity"}. */
    public static double metric(URI metricsUri, String metric, String label) throws Exception {
        String body = get(metricsUri).body();
        String labels = label.isEmpty() ? "(\\{[^}]*\\})?" : "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + labels + " ([0-9.eE+-]+)$").matcher(body);
        if (!m.find()) {
            throw new AssertionError("metric " + metric + " not found at " + metricsUri + ":\n" + body);
        }
        return Double.parseDouble(m.group(m.groupCount()));
    }

    /** Polls {@code metric} until {@code wanted} holds (10 s at most); returns the last value. */
    public static long awaitMetric(URI metricsUri, String metric, LongPredicate wanted) throws Exception {
        return awaitMetric(metricsUri, metric, wanted, WAIT);
    }

    /** {@link #awaitMetric(URI, String, LongPredicate)} with a patience of {@code wait}. */
    public static long awaitMetric(URI metricsUri, String metric, LongPredicate wanted, Duration wait) throws Exception {
        return await(() -> (long) metric(metricsUri, metric), wanted, wait,
                value -> metric + " stayed at " + value + ":\n" + get(metricsUri).body());
    }

    /** A figure read from the server, e.g. a sum of metrics. */
    public interface Reading {
        long read() throws Exception;
    }

    /** What to say when the wait ran out, given the last value. */
    public interface Complaint {
        String about(long lastValue) throws Exception;
    }

    /** Polls {@code reading} until {@code wanted} holds, at most {@code wait}; returns the last value. */
    public static long await(Reading reading, LongPredicate wanted, Duration wait, Complaint complaint) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        long value;
        do {
            value = reading.read();
            if (wanted.test(value)) {
                return value;
            }
            Thread.sleep(50); // polling an HTTP endpoint: there is no event to wait on
        } while (System.nanoTime() < deadline);
        throw new AssertionError(complaint.about(value));
    }
}
