package it.io.roomcast.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for one test class: N primaries with one replica each, plain
 * {@code redis-server --cluster-enabled yes} processes on free loopback ports, joined by
 * {@code redis-cli --cluster create}. Nodes are {@link RedisServer}s, so a test can kill one
 * (SIGKILL by PID) and watch its replica take over. Keeps nothing on disk but node files in
 * temporary directories; {@link #close()} kills every process it started.
 */
@SuppressWarnings("try") // close() waits for the processes to end; an interrupt there must reach the test
public final class RedisCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts {@code primaries} primaries and as many replicas, and waits until every slot is
     * served and every replica is in sync.
     *
     * @param nodeTimeout {@code cluster-node-timeout}: how long a silent primary has before
     *                    its replica is promoted
     */
    public static RedisCluster start(int primaries, Duration nodeTimeout) throws Exception {
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes);
        try {
            for (int i = 0; i < primaries * 2; i++) {
                nodes.add(RedisServer.start(List.of("--cluster-enabled", "yes",
                        "--cluster-port", Integer.toString(FreePorts.next()),
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()),
                        // The other shards keep serving while one has no primary (as docs/redis-cluster.md advises).
                        "--cluster-require-full-coverage", "no")));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            cluster.awaitHealthy(primaries);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** Every node's process id (primaries and replicas), for CPU figures. */
    public long[] pids() {
        return nodes.stream().filter(RedisServer::alive).mapToLong(RedisServer::pid).toArray();
    }

    /** {@code redis-cluster://127.0.0.1:P,...}: every node as a seed, the form of {@code roomcast.redis.url}. */
    public String url() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(",", "redis-cluster://", ""));
    }

    /** The live primaries that own slots, as the cluster itself reports them now. */
    public List<RedisServer> primaries() throws Exception {
        List<RedisServer> primaries = new ArrayList<>();
        for (String[] line : clusterNodes()) {
            if (line[2].contains("master") && !line[2].contains("fail") && line.length > 8) {
                portOf(line).flatMap(this::node).ifPresent(primaries::add);
            }
        }
        return primaries;
    }

    /** The primary that owns {@code keyOrChannel}'s slot now. */
    public RedisServer ownerOf(String keyOrChannel) throws Exception {
        int slot = Integer.parseInt(cli(anyLive(), "CLUSTER", "KEYSLOT", keyOrChannel).trim());
        for (String[] line : clusterNodes()) {
            if (!line[2].contains("master") || line[2].contains("fail")) {
                continue;
            }
            for (int i = 8; i < line.length; i++) {
                String[] range = line[i].split("-");
                if (range[0].startsWith("[")) {
                    continue; // a slot being migrated
                }
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                if (slot >= from && slot <= to) {
                    return portOf(line).flatMap(this::node).orElseThrow();
                }
            }
        }
        throw new IllegalStateException("no live primary owns slot " + slot);
    }

    /**
     * Moves {@code keyOrChannel}'s slot, with its keys, to primary {@code to}, the way
     * {@code redis-cli --cluster reshard} moves each slot: IMPORTING/MIGRATING, MIGRATE the keys,
     * then SETSLOT NODE on the target, the source and the other primaries.
     */
    public void moveSlot(String keyOrChannel, RedisServer to) throws Exception {
        SlotMove move = beginMove(keyOrChannel, to);
        move.migrateKeys();
        move.finish();
    }

    /**
     * Runs {@code redis-cli --cluster reshard}: moves the {@code slots} lowest-numbered slots of
     * primary {@code from} (redis-cli takes a source's slots in order), with their keys, to
     * primary {@code to}, and returns when the tool is done.
     */
    public void reshard(RedisServer from, RedisServer to, int slots) throws Exception {
        run(List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + from.port(),
                "--cluster-from", cli(from, "CLUSTER", "MYID").trim(), "--cluster-to", cli(to, "CLUSTER", "MYID").trim(),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes"));
    }

    /** A slot being moved step by step, to see what clients meet at each step. */
    public final class SlotMove {
        private final String slot;
        private final RedisServer from;
        private final RedisServer to;
        private final String toId;

        private SlotMove(String slot, RedisServer from, RedisServer to, String toId) {
            this.slot = slot;
            this.from = from;
            this.to = to;
            this.toId = toId;
        }

        /** MIGRATE every key of the slot to the target (the slot stays MIGRATING/IMPORTING). */
        public void migrateKeys() throws Exception {
            List<String> keys;
            while (!(keys = cli(from, "CLUSTER", "GETKEYSINSLOT", slot, "100").lines().filter(k -> !k.isBlank()).toList()).isEmpty()) {
                List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0", "5000", "KEYS"));
                migrate.addAll(keys);
                cli(from, migrate.toArray(String[]::new));
            }
        }

        /** SETSLOT NODE on the target, the source, then the other primaries: the slot is the target's. */
        public void finish() throws Exception {
            List<RedisServer> order = new ArrayList<>(List.of(to, from));
            primaries().stream().filter(p -> !order.contains(p)).forEach(order::add);
            for (RedisServer primary : order) {
                cli(primary, "CLUSTER", "SETSLOT", slot, "NODE", toId);
            }
        }
    }

    /** Starts moving {@code keyOrChannel}'s slot to {@code to}: IMPORTING on the target, MIGRATING on the owner. */
    public SlotMove beginMove(String keyOrChannel, RedisServer to) throws Exception {
        RedisServer from = ownerOf(keyOrChannel);
        String slot = cli(anyLive(), "CLUSTER", "KEYSLOT", keyOrChannel).trim();
        String fromId = cli(from, "CLUSTER", "MYID").trim();
        String toId = cli(to, "CLUSTER", "MYID").trim();
        cli(to, "CLUSTER", "SETSLOT", slot, "IMPORTING", fromId);
        cli(from, "CLUSTER", "SETSLOT", slot, "MIGRATING", toId);
        return new SlotMove(slot, from, to, toId);
    }

    /** The shard channels {@code node} has subscribers for ({@code PUBSUB SHARDCHANNELS pattern}). */
    public List<String> shardChannels(RedisServer node, String pattern) throws Exception {
        String out = cli(node, "PUBSUB", "SHARDCHANNELS", pattern).trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    /** Runs {@code redis-cli -p PORT args...} against {@code node} and returns its output. */
    public static String cli(RedisServer node, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(node.port())));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Waits until every slot is served by a live primary and {@code primaries} replicas are connected. */
    public void awaitHealthy(int primaries) throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = cli(anyLive(), "CLUSTER", "INFO");
                if (last.contains("cluster_state:ok") && primaries().size() == primaries
                        && syncedReplicas() >= primaries) {
                    return;
                }
            } catch (IOException | IllegalStateException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(100); // polling a cluster that converges by gossip: no event to wait on
        }
        throw new IllegalStateException("Redis Cluster not healthy within " + READY_TIMEOUT + ": " + last);
    }

    private long syncedReplicas() throws Exception {
        long synced = 0;
        for (RedisServer node : nodes) {
            if (node.alive() && cli(node, "INFO", "replication").contains("master_link_status:up")) {
                synced++;
            }
        }
        return synced;
    }

    private List<String[]> clusterNodes() throws Exception {
        return cli(anyLive(), "CLUSTER", "NODES").lines().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
    }

    private static Optional<Integer> portOf(String[] line) {
        String address = line[1].split("@")[0];
        return Optional.of(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
    }

    private Optional<RedisServer> node(int port) {
        return nodes.stream().filter(n -> n.port() == port && n.alive()).findFirst();
    }

    private RedisServer anyLive() {
        return nodes.stream().filter(RedisServer::alive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Redis Cluster node is running"));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
