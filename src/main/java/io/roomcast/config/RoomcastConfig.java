package io.roomcast.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * Every Roomcast limit and setting, read once at start-up from MicroProfile Config
 * (system properties, environment variables such as {@code ROOMCAST_MAX_CONNECTIONS},
 * {@code microprofile-config.properties}). No other class reads configuration.
 *
 * <p>Defaults live here, next to each key, so that a plain unit test can build the bean
 * from a map and see the same values the server would. Invalid values fail start-up
 * with a message naming the key, rather than surfacing later as odd behaviour.
 */
@ApplicationScoped
public class RoomcastConfig {

    /** Upper bound of {@code roomcast.history.size}: a recovery replays at most this many frames. */
    public static final int MAX_HISTORY_SIZE = 10_000;

    /** Upper bound of {@code roomcast.history.keys-per-room}: bounds a room's key memory. */
    public static final int MAX_KEYS_PER_ROOM = 100_000;

    /** {@code redis-cluster://[user:password@]host:port[,host:port...]}, or {@code rediss-cluster://} (TLS). */
    private static final String CLUSTER_URL = "rediss?-cluster://([^@/\\s]+@)?[^,:/@\\s]+:\\d{1,5}(,[^,:/@\\s]+:\\d{1,5})*/?";

    private String nodeId;
    private int maxConnections;
    private int maxRoomsPerConnection;
    private int maxMessageBytes;
    private int messagesPerSecond;
    private int outboxMaxMessages;
    private int sendThreads;
    private Duration sendStall;
    private int sendMaxStalledThreads;
    private int closeMaxSlowThreads;
    private Duration pingInterval;
    private Duration pingTimeout;
    private List<String> allowedOrigins;
    private Duration drainTime;
    private Optional<String> redisUrl;
    private int redisPublishLanes;
    private Duration redisTimeout;
    private Duration redisProbeInterval;
    private Duration redisUnreachable;
    private Optional<Path> redisCaFile;
    private boolean presenceEnabled;
    private Duration presenceTtl;
    private int presenceMaxEventMembers;
    private int shardCount;
    private OptionalInt shardSelf;
    private boolean shardEnforce;
    private Optional<String> shardUrlTemplate;
    private AuthMode authMode;
    private JwtSettings jwt;
    private AddressSet trustedProxies;
    private String userHeader;
    private String groupsHeader;
    private String adminGroup;
    private String publisherGroup;
    private AccessRules accessRules;
    private int maxConnectionsPerAddress;
    private Optional<String> advertisedUrl;
    private int historySize;
    private Duration historyTtl;
    private int historyKeysPerRoom;
    private boolean adminAllowRemote;
    private ClusterKeySettings clusterKey;
    private HttpLimits httpLimits;
    private Duration refreshWarning;

    /** For the CDI client proxy only. */
    protected RoomcastConfig() {
    }

    @Inject
    public RoomcastConfig(Config config) {
        // The raw value, so that a key set to empty ("turn it off") differs from an unset key.
        this(key -> Optional.ofNullable(config.getConfigValue(key).getRawValue()));
    }

    /** Builds the configuration from any key lookup (a map in unit tests). */
    public RoomcastConfig(Function<String, Optional<String>> source) {
        ConfigReader read = new ConfigReader(source);
        nodeId = read.string("roomcast.node-id").orElseGet(RoomcastConfig::defaultNodeId);
        maxConnections = read.positiveInt("roomcast.max-connections", 10_000);
        maxRoomsPerConnection = read.positiveInt("roomcast.max-rooms-per-connection", 100);
        maxMessageBytes = read.positiveInt("roomcast.max-message-bytes", 65_536);
        messagesPerSecond = read.positiveInt("roomcast.rate.messages-per-second", 100);
        // Frames queued for one slow client before it is disconnected (bounds memory per client).
        outboxMaxMessages = read.positiveInt("roomcast.outbox.max-messages", 1_000);
        // Threads writing frames to clients synchronously (docs/BENCHMARKS.md, fanout).
        sendThreads = read.positiveInt("roomcast.send.threads", 2 * Runtime.getRuntime().availableProcessors());
        // A write to one client blocked this long closes it as a slow consumer (1013). At most
        // 5 s: Liberty writes its close frame after waiting 5.5 s for a write in progress, and
        // the blocked sender must be released (interrupted) before that.
        sendStall = Duration.ofMillis(read.positiveInt("roomcast.send.stall-ms", 1_000));
        if (sendStall.toMillis() > 5_000) {
            throw new IllegalArgumentException("roomcast.send.stall-ms must be at most 5000, not " + sendStall.toMillis());
        }
        // Senders blocked on stalled clients kept besides the pool; bounds the thread count.
        sendMaxStalledThreads = read.nonNegativeInt("roomcast.send.max-stalled-threads", 32);
        // Closes that take over a second get a thread of their own, up to this many at once: a
        // close Liberty never returns from keeps its thread, and must not take the pool's.
        closeMaxSlowThreads = read.nonNegativeInt("roomcast.close.max-slow-threads", 64);
        // Dead peers (gone without a FIN: a phone that lost its network, a pulled cable) would
        // hold their slot until TCP gives up, hours later in a quiet room: a connection silent
        // for a whole interval gets a WebSocket ping and is closed when nothing, not even the
        // pong, arrives within the timeout. 0 turns the pings off.
        pingInterval = Duration.ofMillis(read.nonNegativeInt("roomcast.ping.interval-ms", 25_000));
        pingTimeout = Duration.ofMillis(read.positiveInt("roomcast.ping.timeout-ms", 20_000));
        allowedOrigins = read.list("roomcast.allowed-origins");
        drainTime = Duration.ofSeconds(read.nonNegativeInt("roomcast.shutdown.drain-seconds", 30));
        redisUrl = read.string("roomcast.redis.url");
        validateRedisUrl();
        // Connections that publish; one publisher's messages to one room always use the same one.
        redisPublishLanes = read.positiveInt("roomcast.redis.publish-lanes", 4);
        // Connect and command timeout: how long a publish or subscribe may wait for Redis.
        redisTimeout = Duration.ofMillis(read.positiveInt("roomcast.redis.timeout-ms", 2_000));
        // How often the end-to-end probe runs; one missing for two intervals (at least the timeout) fails health.
        redisProbeInterval = Duration.ofMillis(read.positiveInt("roomcast.redis.probe-interval-ms", 1_000));
        // A shard that a send could not reach is refused at once for this long (0: never), so that
        // a dead shard costs one timeout per period instead of one per batch of every lane.
        redisUnreachable = Duration.ofMillis(read.nonNegativeInt("roomcast.redis.unreachable-ms", 5_000));
        readRedisTls(read);
        readPresence(read);
        shardCount = read.positiveInt("roomcast.shards.count", 1);
        shardSelf = read.optionalInt("roomcast.shards.self");
        shardEnforce = read.bool("roomcast.shards.enforce", false);
        shardUrlTemplate = read.string("roomcast.shards.url-template");
        // How other nodes reach this node's HTTP API (admin actions forwarded to it); none by default.
        advertisedUrl = read.string("roomcast.advertised-url").map(RoomcastConfig::withoutTrailingSlash);
        validateShards();
        readHistory(read);
        readSecurity(read);
        // Issue 24 items 6 and 9: the node-to-node credential, the HTTP API's per-caller limits.
        clusterKey = ClusterKeySettings.read(read);
        httpLimits = HttpLimits.read(read);
        // Issue 25 (contract section 10): connections that outlive their tokens.
        // How long before a connection's identity expires it is told to refresh ("expiring").
        refreshWarning = Duration.ofSeconds(read.nonNegativeInt("roomcast.auth.refresh-warning-seconds", 60));
    }

    /** TLS towards Redis (docs/production.md, Redis). */
    private void readRedisTls(ConfigReader read) {
        // A PEM file of the CA certificates a rediss:// Redis's certificate must chain to (a
        // private CA); unset: the JVM's trust store.
        redisCaFile = read.string("roomcast.redis.ca-file").map(Path::of);
        if (redisCaFile.isPresent() && !redisUrl.map(url -> url.startsWith("rediss")).orElse(false)) {
            throw new IllegalArgumentException("roomcast.redis.ca-file is for TLS: roomcast.redis.url must start with"
                    + " rediss:// or rediss-cluster://");
        }
    }

    /** Contract section 7. */
    private void readHistory(ConfigReader read) {
        // Messages kept per room for recovery and history reads; 0 turns history off.
        historySize = read.nonNegativeInt("roomcast.history.size", 100);
        if (historySize > MAX_HISTORY_SIZE) {
            throw new IllegalArgumentException("roomcast.history.size must be at most " + MAX_HISTORY_SIZE + ", not "
                    + historySize);
        }
        // A recovery replays up to a whole history into one outbox at once: keep
        // roomcast.outbox.max-messages above it (docs/history.md), or a long replay closes the client.
        // A room's history is dropped this long after its last publish (its epoch then changes).
        historyTtl = Duration.ofSeconds(read.positiveInt("roomcast.history.ttl-seconds", 600));
        // Idempotency keys remembered per room (the newest; contract section 7): a retry is
        // recognised while its first attempt is among them. Bounds Redis memory per room to
        // about this many times (key + id + 100 bytes); docs/history.md.
        historyKeysPerRoom = read.positiveInt("roomcast.history.keys-per-room", 1_000);
        if (historyKeysPerRoom > MAX_KEYS_PER_ROOM) {
            throw new IllegalArgumentException("roomcast.history.keys-per-room must be at most " + MAX_KEYS_PER_ROOM
                    + ", not " + historyKeysPerRoom);
        }
    }

    private void readSecurity(ConfigReader read) {
        authMode = read.string("roomcast.auth.mode").map(v -> AuthMode.parse("roomcast.auth.mode", v))
                .orElse(AuthMode.NONE);
        jwt = new JwtSettings(read.string("mp.jwt.verify.publickey.location"), read.string("mp.jwt.verify.publickey"),
                read.string("mp.jwt.verify.issuer"), read.list("mp.jwt.verify.audiences"),
                read.string("mp.jwt.verify.publickey.algorithm").orElse("RS256"),
                Duration.ofSeconds(read.nonNegativeInt("mp.jwt.verify.clock.skew", 60)),
                read.string("mp.jwt.token.cookie").orElse("Bearer"),
                // Unset means the default; set to empty turns the query parameter off.
                read.raw("roomcast.auth.query-param").map(String::trim).or(() -> Optional.of("access_token"))
                        .filter(v -> !v.isEmpty()));
        trustedProxies = AddressSet.parse("roomcast.auth.trusted-proxies",
                read.raw("roomcast.auth.trusted-proxies").isPresent()
                        ? read.list("roomcast.auth.trusted-proxies") : List.of("127.0.0.1"));
        userHeader = read.string("roomcast.auth.user-header").orElse("X-Forwarded-User");
        groupsHeader = read.string("roomcast.auth.groups-header").orElse("X-Forwarded-Groups");
        adminGroup = read.string("roomcast.auth.admin-group").orElse("roomcast-admin");
        publisherGroup = read.string("roomcast.auth.publisher-group").orElse("roomcast-publisher");
        accessRules = AccessRules.parse(read.string("roomcast.acl").orElse(""));
        maxConnectionsPerAddress = read.nonNegativeInt("roomcast.max-connections-per-address", 0);
        // Without authentication nothing tells an operator from anyone else: the admin API and
        // console answer callers on this machine only, unless opened on purpose.
        adminAllowRemote = read.bool("roomcast.admin.allow-remote", false);
        validateJwt();
    }

    private void readPresence(ConfigReader read) {
        // Off: joins are not recorded, presence requests answer unavailable (to measure its cost).
        presenceEnabled = read.bool("roomcast.presence.enabled", true);
        // A killed node's members leave presence within this time (docs/presence.md).
        presenceTtl = Duration.ofSeconds(read.positiveInt("roomcast.presence.ttl-seconds", 10));
        // Rooms larger than this send no presence events (each would reach every watcher).
        presenceMaxEventMembers = read.nonNegativeInt("roomcast.presence.max-event-members", 1_000);
    }

    private void validateJwt() {
        if (authMode != AuthMode.JWT) {
            return;
        }
        if (jwt.key().isEmpty() && jwt.keyLocation().isEmpty()) {
            throw new IllegalArgumentException("roomcast.auth.mode=jwt needs mp.jwt.verify.publickey.location"
                    + " (a JWKS URL or a PEM file) or mp.jwt.verify.publickey");
        }
        if (jwt.issuer().isEmpty()) {
            throw new IllegalArgumentException("roomcast.auth.mode=jwt needs mp.jwt.verify.issuer");
        }
        if (!List.of("RS256", "ES256").contains(jwt.algorithm())) {
            throw new IllegalArgumentException("mp.jwt.verify.publickey.algorithm must be RS256 or ES256, not "
                    + jwt.algorithm());
        }
    }

    private void validateShards() {
        if (shardSelf.isPresent() && (shardSelf.getAsInt() < 0 || shardSelf.getAsInt() >= shardCount)) {
            throw new IllegalArgumentException("roomcast.shards.self must be between 0 and "
                    + (shardCount - 1) + " (roomcast.shards.count is " + shardCount + ")");
        }
        if (shardEnforce && shardSelf.isEmpty()) {
            throw new IllegalArgumentException("roomcast.shards.enforce=true needs roomcast.shards.self");
        }
    }

    /**
     * One Redis ({@code redis://}, {@code rediss://} with TLS) or a Redis Cluster given by seed
     * nodes ({@code redis-cluster://[user:password@]host:port[,host:port...]}, TLS:
     * {@code rediss-cluster://}).
     */
    private void validateRedisUrl() {
        redisUrl.ifPresent(url -> {
            boolean single = url.startsWith("redis://") || url.startsWith("rediss://");
            if (!single && !url.matches(CLUSTER_URL)) {
                throw new IllegalArgumentException("roomcast.redis.url must look like redis://host:port,"
                        + " rediss://host:port or redis-cluster://host:port[,host:port...], not " + url);
            }
        });
    }

    /** True when {@code roomcast.redis.url} names a Redis Cluster (sharded pub/sub). */
    public boolean redisCluster() {
        return redisUrl.map(url -> url.matches(CLUSTER_URL)).orElse(false);
    }

    private static String withoutTrailingSlash(String url) {
        if (!url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new IllegalArgumentException("roomcast.advertised-url must be an http(s) URL, not " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        return host + "-" + suffix;
    }

    /** This node's id, shown in {@code welcome}, stats and metrics. */
    public String nodeId() {
        return nodeId;
    }

    /** Open WebSocket connections allowed on this node; the next one is closed with 1013. */
    public int maxConnections() {
        return maxConnections;
    }

    public int maxRoomsPerConnection() {
        return maxRoomsPerConnection;
    }

    /** Largest text frame accepted, in UTF-8 bytes; larger frames close the connection with 1009. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Sustained frames per second per connection; the burst allowance is the same number. */
    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    /** Frames waiting for one client before the server gives up on it. */
    public int outboxMaxMessages() {
        return outboxMaxMessages;
    }

    /** Threads that write frames to clients. */
    public int sendThreads() {
        return sendThreads;
    }

    /** How long one write to a client may block before the client is closed as too slow. */
    public Duration sendStall() {
        return sendStall;
    }

    /** Senders blocked on stalled clients the node keeps at once, on top of {@link #sendThreads}. */
    public int sendMaxStalledThreads() {
        return sendMaxStalledThreads;
    }

    /** Threads kept at once for closes that take over a second, besides the closer's own. */
    public int closeMaxSlowThreads() {
        return closeMaxSlowThreads;
    }

    /** Silence after which a connection gets a ping; zero when pings are off. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long a pinged connection may stay silent before it is closed as unresponsive. */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** Allowed {@code Origin} values; empty means any origin. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public Duration drainTime() {
        return drainTime;
    }

    /** Redis URL; empty means the in-memory bus (one node). */
    public Optional<String> redisUrl() {
        return redisUrl;
    }

    /** Publisher connections (lanes) of the Redis bus. */
    public int redisPublishLanes() {
        return redisPublishLanes;
    }

    /** Connect and command timeout towards Redis. */
    public Duration redisTimeout() {
        return redisTimeout;
    }

    /** Interval of the Redis bus's end-to-end probe. */
    public Duration redisProbeInterval() {
        return redisProbeInterval;
    }

    /** {@code roomcast.redis.unreachable-ms}: how long a shard a send could not reach is refused at once; zero: never. */
    public Duration redisUnreachable() {
        return redisUnreachable;
    }

    /** CA certificates (PEM) a TLS Redis's certificate must chain to; empty: the JVM's trust. */
    public Optional<Path> redisCaFile() {
        return redisCaFile;
    }

    /** Whether this node records presence and answers presence requests. */
    public boolean presenceEnabled() {
        return presenceEnabled;
    }

    /** How long after a node dies its connections may still be listed in presence. */
    public Duration presenceTtl() {
        return presenceTtl;
    }

    /** Rooms with more members than this send no presence events; 0 sends none at all. */
    public int presenceMaxEventMembers() {
        return presenceMaxEventMembers;
    }

    public int shardCount() {
        return shardCount;
    }

    public OptionalInt shardSelf() {
        return shardSelf;
    }

    public boolean shardEnforce() {
        return shardEnforce;
    }

    public Optional<String> shardUrlTemplate() {
        return shardUrlTemplate;
    }

    /** How connections and API callers authenticate; {@code none} (anonymous) by default. */
    public AuthMode authMode() {
        return authMode;
    }

    /** Token verification settings for {@code jwt} mode. */
    public JwtSettings jwt() {
        return jwt;
    }

    /**
     * Peers whose identity headers and {@code X-Forwarded-For} are believed
     * ({@code roomcast.auth.trusted-proxies}, default {@code 127.0.0.1}; empty trusts nobody).
     */
    public AddressSet trustedProxies() {
        return trustedProxies;
    }

    /** The header a trusted proxy puts the user name in ({@code proxy} mode). */
    public String userHeader() {
        return userHeader;
    }

    /** The header a trusted proxy puts the comma-separated groups in ({@code proxy} mode). */
    public String groupsHeader() {
        return groupsHeader;
    }

    /** The group allowed to use admin resources ({@link io.roomcast.security.AdminOnly}). */
    public String adminGroup() {
        return adminGroup;
    }

    /** The group allowed to publish over HTTP ({@link io.roomcast.security.PublisherOnly}). */
    public String publisherGroup() {
        return publisherGroup;
    }

    /** Who may join and publish where ({@code roomcast.acl}); no rules means every room is open. */
    public AccessRules accessRules() {
        return accessRules;
    }

    /**
     * Whether the admin API and console answer callers on other machines while
     * {@code roomcast.auth.mode} is {@code none} ({@code roomcast.admin.allow-remote}, default
     * false: loopback callers only). With {@code jwt} or {@code proxy} the admin group decides.
     */
    public boolean adminAllowRemote() {
        return adminAllowRemote;
    }

    /** Open connections allowed per client address on this node; 0 means no limit. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * This node's base URL as other nodes can reach it (scheme, host, port and context root,
     * e.g. {@code http://10.0.0.5:9080}); empty when not set, and then admin actions for this
     * node work only when the console is served by this node itself.
     */
    public Optional<String> advertisedUrl() {
        return advertisedUrl;
    }

    /** Messages kept per room ({@code roomcast.history.size}, default 100); 0 when history is off. */
    public int historySize() {
        return historySize;
    }

    /** True unless {@code roomcast.history.size} is 0. */
    public boolean historyOn() {
        return historySize > 0;
    }

    /** How long a room's history outlives its last publish ({@code roomcast.history.ttl-seconds}, default 600). */
    public Duration historyTtl() {
        return historyTtl;
    }

    /**
     * Idempotency keys a room remembers, the newest ({@code roomcast.history.keys-per-room},
     * default 1000); they last no longer than the room's history.
     */
    public int historyKeysPerRoom() {
        return historyKeysPerRoom;
    }

    /** The cluster key: configured, or agreed through the bus; and the file for local tools. */
    public ClusterKeySettings clusterKey() {
        return clusterKey;
    }

    /** Per-caller limits of HTTP publishes and reads. */
    public HttpLimits httpLimits() {
        return httpLimits;
    }

    /** {@code roomcast.auth.refresh-warning-seconds}: when before {@code expires} the {@code expiring} frame goes. */
    public Duration refreshWarning() {
        return refreshWarning;
    }

    /** Typed reads of single keys; every failure names the key. */
    record ConfigReader(Function<String, Optional<String>> source) {

        /** The value as set, empty string included; empty only when the key is not set at all. */
        Optional<String> raw(String key) {
            return source.apply(key);
        }

        Optional<String> string(String key) {
            return source.apply(key).map(String::trim).filter(s -> !s.isEmpty());
        }

        List<String> list(String key) {
            return string(key).map(s -> Arrays.stream(s.split(","))
                    .map(String::trim).filter(v -> !v.isEmpty()).toList()).orElse(List.of());
        }

        boolean bool(String key, boolean fallback) {
            return string(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false, not " + v);
            }).orElse(fallback);
        }

        OptionalInt optionalInt(String key) {
            return string(key).map(v -> OptionalInt.of(parse(key, v))).orElse(OptionalInt.empty());
        }

        int positiveInt(String key, int fallback) {
            int value = string(key).map(v -> parse(key, v)).orElse(fallback);
            if (value < 1) {
                throw new IllegalArgumentException(key + " must be at least 1, not " + value);
            }
            return value;
        }

        int nonNegativeInt(String key, int fallback) {
            int value = string(key).map(v -> parse(key, v)).orElse(fallback);
            if (value < 0) {
                throw new IllegalArgumentException(key + " must not be negative, not " + value);
            }
            return value;
        }

        private static int parse(String key, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not " + value, e);
            }
        }
    }
}
