package it.io.roomcast.support;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A separate, real Liberty server running the built WAR at context root {@code /}, for tests
 * that need several nodes or must stop or kill a node (Arquillian owns only one server).
 * It lives in the same runtime as the Arquillian server ({@code target/liberty/wlp}), under
 * its own name, with the project's {@code liberty/} configuration and its own ports.
 * Configuration reaches it as environment variables ({@code ROOMCAST_MAX_CONNECTIONS=...}),
 * exactly as an operator would give it.
 */
@SuppressWarnings("try") // close() waits for the process to end; an interrupt there must reach the test
public final class LibertyNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final int httpPort;
    private final Path wlp;
    private final Path serverDir;
    private final Readiness readiness;
    private boolean running;

    /**
     * Tells whether a starting server is ready; polled every 200 ms until it says so or the start
     * times out. An {@link IOException} counts as not yet listening.
     */
    @FunctionalInterface
    public interface Readiness {
        boolean ready(LibertyNode node) throws Exception;
    }

    /** Roomcast's own readiness: its {@code /health/started} check answers 200. */
    public static final Readiness HEALTH_STARTED = node -> Http.get(node.http("/health/started")).statusCode() == 200;

    private LibertyNode(String name, int httpPort, Readiness readiness) {
        this.name = name;
        this.httpPort = httpPort;
        this.readiness = readiness;
        this.wlp = Path.of(System.getProperty("liberty.wlp.home", "target/liberty/wlp"));
        this.serverDir = wlp.resolve("usr/servers").resolve(name);
    }

    /**
     * Creates (or recreates) server {@code name} and starts it; returns once the application
     * answers on {@code /health/started}.
     *
     * @param env environment variables for the server, e.g. {@code ROOMCAST_REDIS_URL}
     */
    public static LibertyNode start(String name, int httpPort, Map<String, String> env) throws Exception {
        return start(name, httpPort, env, HEALTH_STARTED);
    }

    /**
     * {@link #start(String, int, Map)} for a WAR that is not Roomcast (the benchmark's Liberty
     * floor has no health checks): {@code readiness} says when it is up.
     */
    public static LibertyNode start(String name, int httpPort, Map<String, String> env, Readiness readiness)
            throws Exception {
        LibertyNode node = new LibertyNode(name, httpPort, readiness);
        node.create(env);
        node.launch();
        return node;
    }

    /**
     * Two nodes side by side on the Redis bus {@code redisUrl} (servers {@code <prefix>-a} and
     * {@code <prefix>-b}, node ids {@code node-a} and {@code node-b}, a probe every 250 ms).
     */
    public static List<LibertyNode> startTwoOnRedis(String prefix, String redisUrl) {
        List<CompletableFuture<LibertyNode>> starting = List.of("a", "b").stream()
                .map(n -> startAsync(prefix + "-" + n, Map.of("ROOMCAST_NODE_ID", "node-" + n,
                        "ROOMCAST_REDIS_URL", redisUrl, "ROOMCAST_REDIS_PROBE_INTERVAL_MS", "250")))
                .toList();
        return starting.stream().map(CompletableFuture::join).toList();
    }

    /** {@link #start} on a free port, on another thread, so that several nodes start side by side. */
    public static CompletableFuture<LibertyNode> startAsync(String name, Map<String, String> env) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return start(name, FreePorts.next(), env);
            } catch (Exception e) {
                throw new IllegalStateException("could not start " + name, e);
            }
        });
    }

    private void create(Map<String, String> env) throws IOException {
        deleteRecursively(serverDir);
        Files.createDirectories(serverDir.resolve("apps"));
        Path config = Path.of(System.getProperty("liberty.config.dir", "liberty"));
        for (String file : List.of("server.xml", "tls.xml", "jvm.options", "bootstrap.properties")) {
            if (Files.exists(config.resolve(file))) {
                Files.copy(config.resolve(file), serverDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // The port is a Liberty variable. HTTPS is off unless env turns it on (TLS_CONFIG,
        // HTTPS_PORT: liberty/tls.xml), as in production.
        Files.writeString(serverDir.resolve("bootstrap.properties"),
                "\nhttp.port=" + httpPort + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(serverDir.resolve("server.env"), env.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
        Path war = Path.of(System.getProperty("roomcast.war", "target/roomcast.war"));
        Files.copy(war, serverDir.resolve("apps/roomcast.war"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts the server (again, after {@link #stop()} or {@link #kill()}). */
    public void launch() throws Exception {
        run("start");
        running = true;
        try {
            awaitStarted();
        } catch (Exception notReady) {
            // A server that never became ready (say, a WAR that fails to deploy) must not
            // outlive the test or benchmark that started it.
            try {
                stop();
            } catch (Exception stopFailed) {
                notReady.addSuppressed(stopFailed);
            }
            throw notReady;
        }
    }

    private void awaitStarted() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (readiness.ready(this)) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling until the deadline
            }
            Thread.sleep(200); // polling a starting process: there is no event to wait on
        }
        throw new IllegalStateException(name + " did not start within " + START_TIMEOUT + "; see " + logFile());
    }

    /** Stops the server the way an operator does ({@code server stop}); returns when it has exited. */
    public void stop() throws Exception {
        if (running) {
            run("stop");
            running = false;
        }
    }

    /**
     * Stops the server the way a container runtime or Kubernetes does (SIGTERM to the JVM);
     * returns when the process has exited, or fails after {@code timeout}.
     */
    public void terminate(Duration timeout) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid()).orElseThrow(() -> new IllegalStateException(name + " is not running"));
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        running = false;
    }

    /** Stops the server and removes its directory (logs included); for tools that start many. */
    public void delete() throws Exception {
        stop();
        deleteRecursively(serverDir);
    }

    /** Ends the server process at once (SIGKILL), as a crash would. */
    public void kill() throws Exception {
        signal("-KILL");
        running = false;
    }

    /**
     * Freezes the server JVM (SIGSTOP): its sockets stay open but nothing answers, like a
     * hung node or a dead network path. {@link #thaw()} lets it continue.
     */
    public void freeze() throws Exception {
        signal("-STOP");
    }

    public void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        new ProcessBuilder("kill", signal, Long.toString(pid())).inheritIO().start().waitFor();
    }

    /** The server JVM's process id (from Liberty's pid file). */
    public long pid() throws IOException {
        Path pidFile = wlp.resolve("usr/servers/.pid").resolve(name + ".pid");
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    public int httpPort() {
        return httpPort;
    }

    public URI ws() {
        return URI.create("ws://localhost:" + httpPort + "/ws");
    }

    public URI http(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    /** The server's directory, also its output directory ({@code server.output.dir}). */
    public Path serverDir() {
        return serverDir;
    }

    public Path logFile() {
        return serverDir.resolve("logs/messages.log");
    }

    private void run(String action) throws Exception {
        Process process = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name)
                .redirectErrorStream(true).redirectOutput(serverDir.resolve(action + ".out").toFile()).start();
        if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("server " + action + " " + name + " did not finish");
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
