package io.roomcast.ops;

import io.roomcast.bus.BusMetrics;
import io.roomcast.bus.MessageBus;
import io.roomcast.limit.RequestKind;
import io.roomcast.room.ConnectedMembers;
import io.roomcast.room.RoomRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Snapshot;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Every Roomcast metric, named and described in one place (PROTOCOL.md section 3). Names are
 * given without the suffixes the Prometheus output adds ({@code _total} for counters, the unit
 * for timers). No metric has a per-room or per-user label: their number would be unbounded;
 * labels take values from fixed sets only (the rejection {@code reason} of {@link #REJECT_REASONS},
 * a recovery's {@code result}, a rate-limited request's {@code kind}).
 * All methods are safe from any thread and never block.
 */
@ApplicationScoped
public class RoomcastMetrics implements BusMetrics {

    /** Why a WebSocket was closed right after it opened; anything else is counted as {@code other}. */
    public static final Set<String> REJECT_REASONS =
            Set.of("capacity", "draining", "origin", "auth", "per_address", "other");

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    @Inject
    ConnectedMembers connections;

    @Inject
    RoomRegistry rooms;

    private Counter presenceEvents;
    private Counter framesReceived;
    private Counter deliveries;
    private Counter outboxOverflows;
    private Counter sendStalls;
    private Counter closesStuck;
    private Counter watchdogFailures;
    private Counter unresponsive;
    private Timer deliveryLatency;
    private Counter attempts;
    private Counter handshakeFailures;
    private Timer handshakeTime;
    private Map<String, Counter> rejections;
    private Counter busPublishFailures;
    private Counter recovered;
    private Counter gaps;
    private Counter historyReads;

    @PostConstruct
    void register() {
        registerContractMetrics();
        registerConnectionMetrics();
        rooms();
        outboxOverflows = counter("roomcast_outbox_overflows", "Connections closed because their send queue was full");
        sendStalls = counter("roomcast_send_stalls",
                "Connections closed because one write to them blocked longer than roomcast.send.stall-ms");
        closesStuck = counter("roomcast_closes_stuck",
                "Server-initiated WebSocket closes that had not returned after 15 s; each keeps a thread");
        watchdogFailures = counter("roomcast_watchdog_failures",
                "Runs of the send or close watchdog that failed (logged; the watchdog runs again next period)");
        unresponsive = counter("roomcast_unresponsive_closes",
                "Connections closed because nothing, not even a pong, came back within roomcast.ping.timeout-ms of a ping");
        busPublishFailures = counter("roomcast_bus_publish_failures",
                "Publishes the message bus refused or failed (the publisher got `unavailable`)");
        presenceEvents = counter("roomcast_presence_events_sent",
                "presence_join and presence_leave frames handed to watching connections on this node");
        registerBus();
        registerHistory();
        registerHttpLimits();
        registerRefreshes();
    }

    private void registerHistory() {
        Metadata recoveries = Metadata.builder().withName("roomcast_recoveries")
                .withDescription("Joins with since, by result: recovered (every missed message replayed) or gap").build();
        recovered = registry.counter(recoveries, new Tag("result", "recovered"));
        gaps = registry.counter(recoveries, new Tag("result", "gap"));
        historyReads = counter("roomcast_history_reads", "History requests answered (WebSocket history frames and HTTP)");
    }

    /** A join with {@code since} was answered, recovered or with a gap. */
    public void recovery(boolean wasRecovered) {
        (wasRecovered ? recovered : gaps).inc();
    }

    /** A history request was answered. */
    public void historyRead() {
        historyReads.inc();
    }

    private void registerContractMetrics() {
        registry.gauge(Metadata.builder().withName("websocket_connections_total")
                .withDescription("Open WebSocket connections on this node").build(),
                connections, ConnectedMembers::count);
        framesReceived = counter("websocket_messages_received", "Frames received from WebSocket clients");
        // A timer, not an MP histogram: an MP histogram records whole numbers only. The timer is
        // exported as a Prometheus histogram in seconds (websocket_message_latency_seconds_bucket);
        // its buckets are set in microprofile-config.properties.
        deliveryLatency = timer("websocket_message_latency", "From a message's acceptance by the publishing"
                + " node to its hand-off to a member's connection on this node");
        deliveries = counter("roomcast_messages_delivered", "Room messages handed to a member's connection on this node");
    }

    private void registerConnectionMetrics() {
        attempts = counter("roomcast_connection_attempts", "WebSocket handshake requests received");
        handshakeFailures = counter("roomcast_handshake_failures",
                "WebSocket handshake requests answered without an upgrade (HTTP status other than 101)");
        handshakeTime = timer("roomcast_handshake", "Time to answer a WebSocket handshake request");
        Metadata rejected = Metadata.builder().withName("roomcast_connections_rejected")
                .withDescription("WebSockets closed right after opening, by reason (capacity, draining, ...)").build();
        rejections = REJECT_REASONS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                reason -> registry.counter(rejected, new Tag("reason", reason))));
    }

    private void rooms() {
        registry.gauge(Metadata.builder().withName("roomcast_rooms")
                .withDescription("Rooms with at least one member on this node").build(),
                rooms, RoomRegistry::roomCount);
        registry.gauge(Metadata.builder().withName("roomcast_connections_capacity")
                .withDescription("roomcast.max-connections: open connections this node accepts").build(),
                connections, ConnectedMembers::capacity);
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    private Timer timer(String name, String description) {
        return registry.timer(Metadata.builder().withName(name).withDescription(description)
                .withUnit(MetricUnits.SECONDS).build());
    }

    public void frameReceived() {
        framesReceived.inc();
    }

    /** One message handed to one member's connection. */
    public void delivered(long acceptedAtMicros, long nowMicros) {
        deliveries.inc();
        deliveryLatency.update(Duration.ofNanos(Math.max(0, nowMicros - acceptedAtMicros) * 1_000));
    }

    public void outboxOverflowed() {
        outboxOverflows.inc();
    }

    public void sendStalled() {
        sendStalls.inc();
    }

    /** A close the server started has not returned after the closer's stuck limit. */
    public void closeStuck() {
        closesStuck.inc();
    }

    /** A run of the send or close watchdog threw; it runs again next period. */
    public void watchdogFailed() {
        watchdogFailures.inc();
    }

    public void closedUnresponsive() {
        unresponsive.inc();
    }

    /** Exports the live sender threads (blocked ones included) as {@code roomcast_send_threads}. */
    public void sendThreads(IntSupplier liveThreads) {
        registry.gauge(Metadata.builder().withName("roomcast_send_threads")
                .withDescription("Threads writing frames to clients, those blocked on stalled clients included").build(),
                liveThreads, IntSupplier::getAsInt);
    }

    /** A handshake request reached {@code /ws}. */
    public void connectionAttempted() {
        attempts.inc();
    }

    /** A handshake answered, upgraded or not, after {@code elapsed}. */
    public void handshakeAnswered(Duration elapsed, boolean upgraded) {
        handshakeTime.update(elapsed);
        if (!upgraded) {
            handshakeFailures.inc();
        }
    }

    /** An opened WebSocket was closed at once; {@code reason} outside {@link #REJECT_REASONS} counts as other. */
    public void connectionRejected(String reason) {
        rejections.getOrDefault(reason, rejections.get("other")).inc();
    }

    /** One presence event handed to one watching connection. */
    public void presenceEventSent() {
        presenceEvents.inc();
    }

    public void busPublishFailed() {
        busPublishFailures.inc();
    }

    /** Cumulative frames received from clients on this node. */
    public long framesReceivedCount() {
        return framesReceived.getCount();
    }

    /** Cumulative messages handed to members' connections on this node. */
    public long deliveredCount() {
        return deliveries.getCount();
    }

    /** The 99th percentile of delivery latency in milliseconds, when the timer tracks one. */
    public OptionalDouble latencyP99Millis() {
        if (deliveryLatency.getCount() == 0) {
            return OptionalDouble.empty();
        }
        for (Snapshot.PercentileValue p : deliveryLatency.getSnapshot().percentileValues()) {
            if (Math.abs(p.getPercentile() - 0.99) < 1e-9) { // the configured percentile, compared without float ==
                return OptionalDouble.of(p.getValue() / 1_000_000.0); // Micrometer's timer values are nanoseconds
            }
        }
        return OptionalDouble.empty();
    }

    // ---- Message bus (Redis scale-out): what the bus reports through BusMetrics ----
    // (publish failures are counted at the edges, with busPublishFailed, where the publisher hears of them)

    @Inject
    MessageBus bus;

    private Counter busPublished;
    private Counter busReceived;

    private void registerBus() {
        busPublished = counter("roomcast_bus_messages_published",
                "Room messages this node handed to the bus and the bus accepted");
        busReceived = counter("roomcast_bus_messages_received",
                "Room messages this node received from the bus (only rooms with members on this node)");
        registry.gauge(Metadata.builder().withName("roomcast_bus_up")
                .withDescription("1 while the bus works end to end (Redis: the last probe came back), else 0").build(),
                this, metrics -> metrics.bus.health().up() ? 1 : 0);
    }

    @Override
    public void published() {
        busPublished.inc();
    }

    @Override
    public void received() {
        busReceived.inc();
    }

    /** Cumulative room messages this node published to the bus. */
    public long publishedCount() {
        return busPublished.getCount();
    }

    private Map<RequestKind, Counter> httpRateLimited;

    private void registerHttpLimits() {
        Metadata limited = Metadata.builder().withName("roomcast_http_rate_limited")
                .withDescription("HTTP requests answered 429 rate_limited, by kind (publish, read)").build();
        httpRateLimited = Arrays.stream(RequestKind.values()).collect(Collectors.toUnmodifiableMap(Function.identity(),
                kind -> registry.counter(limited, new Tag("kind", kind.label()))));
    }

    /** An HTTP request of {@code kind} was refused with 429. */
    public void httpRateLimited(RequestKind kind) {
        httpRateLimited.get(kind).inc();
    }

    // ---- Connections that outlive their tokens (issue 25, contract section 10) ----

    private Counter refreshesOk;
    private Counter refreshesFailed;

    private void registerRefreshes() {
        Metadata refreshes = Metadata.builder().withName("roomcast_token_refreshes")
                .withDescription("In-band token refreshes (refresh frames in mode jwt), by result: ok, or failed"
                        + " (bad_token, or a token of another user)").build();
        refreshesOk = registry.counter(refreshes, new Tag("result", "ok"));
        refreshesFailed = registry.counter(refreshes, new Tag("result", "failed"));
    }

    /** A connection's refresh was answered {@code refreshed} ({@code ok}) or refused. */
    public void tokenRefreshed(boolean ok) {
        (ok ? refreshesOk : refreshesFailed).inc();
    }
}
